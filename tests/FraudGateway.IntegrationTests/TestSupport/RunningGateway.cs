using System.Text.Json.Nodes;

namespace FraudGateway.IntegrationTests.TestSupport;

/// <summary>
/// A started gateway as a test talks to it, whether it runs in the test process (<see cref="GatewayServer"/>) or as
/// its own OS process (<see cref="GatewayProcess"/>): its public and management URLs on loopback, and a client for
/// each (the management one with and without the API key). The two launchers differ only in how they start and stop.
/// </summary>
public abstract class RunningGateway : IAsyncDisposable
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);

    protected RunningGateway(GatewayUrls urls)
    {
        PublicUrl = urls.Public;
        ManagementUrl = urls.Management;
        Public = new HttpClient { BaseAddress = new Uri(PublicUrl), Timeout = ClientTimeout };
        Management = new HttpClient { BaseAddress = new Uri(ManagementUrl), Timeout = ClientTimeout };
        Admin = new HttpClient { BaseAddress = new Uri(ManagementUrl), Timeout = ClientTimeout };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", GatewayConfig.ApiKey);
    }

    public string PublicUrl { get; }

    public string ManagementUrl { get; }

    public HttpClient Public { get; }

    // The management port without credentials.
    public HttpClient Management { get; }

    // The management port with the configuration's API key (GatewayConfig.ApiKey).
    public HttpClient Admin { get; }

    // The configuration with the instance's URLs written in (Urls and FraudGateway:Management:Url), as a copy.
    public static JsonObject Placed(JsonObject config, GatewayUrls urls)
    {
        config = (JsonObject)config.DeepClone();
        config["Urls"] = urls.Public;
        var gateway = (JsonObject)config["FraudGateway"]!;
        ((JsonObject)(gateway["Management"] ??= new JsonObject()))["Url"] = urls.Management;
        return config;
    }

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Management.Dispose();
        Admin.Dispose();
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract ValueTask StopAsync();
}

// Two free loopback URLs for one gateway: the public endpoint and the management port.
public sealed record GatewayUrls(string Public, string Management)
{
    public static GatewayUrls Next() => new($"http://127.0.0.1:{FreePort.Next()}", $"http://127.0.0.1:{FreePort.Next()}");
}
