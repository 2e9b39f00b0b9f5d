using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FraudGateway.IntegrationTests.TestSupport;

// The real gateway on real Kestrel, configured from a JSON file in a temp folder so a test can edit it
// and reload, exactly as an operator edits appsettings.json.
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _configPath;

    private GatewayServer(WebApplication app, string configPath, int publicPort, int managementPort)
    {
        _app = app;
        _configPath = configPath;
        PublicUrl = $"http://127.0.0.1:{publicPort}";
        ManagementUrl = $"http://127.0.0.1:{managementPort}";
        Public = new HttpClient { BaseAddress = new Uri(PublicUrl), Timeout = TimeSpan.FromSeconds(15) };
        Management = new HttpClient { BaseAddress = new Uri(ManagementUrl), Timeout = TimeSpan.FromSeconds(15) };
        Admin = new HttpClient { BaseAddress = new Uri(ManagementUrl), Timeout = TimeSpan.FromSeconds(15) };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", GatewayConfig.ApiKey);
    }

    public string PublicUrl { get; }

    public string ManagementUrl { get; }

    public HttpClient Public { get; }

    public HttpClient Management { get; }

    // Management client that sends the API key.
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayServer> StartAsync(JsonObject config, Action<WebApplicationBuilder>? configure = null)
    {
        var publicPort = FreePort.Next();
        var managementPort = FreePort.Next();
        var configPath = Path.Combine(Path.GetTempPath(), $"fraudgateway-test-{Guid.NewGuid():N}.json");
        var app = Build(config, configPath, publicPort, managementPort, configure);
        await app.StartAsync();
        return new GatewayServer(app, configPath, publicPort, managementPort);
    }

    // Builds without starting: for tests of start-up validation.
    public static WebApplication Build(JsonObject config, string configPath, int publicPort, int managementPort, Action<WebApplicationBuilder>? configure = null)
    {
        config = (JsonObject)config.DeepClone();
        config["Urls"] = $"http://127.0.0.1:{publicPort}";
        var gateway = (JsonObject)config["FraudGateway"]!;
        ((JsonObject)(gateway["Management"] ??= new JsonObject()))["Url"] = $"http://127.0.0.1:{managementPort}";
        File.WriteAllText(configPath, config.ToJsonString());

        return GatewayHost.Build([], builder =>
        {
            // Only the test's file: the demo appsettings.json that ships next to the gateway must not leak in.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddJsonFile(configPath, optional: false, reloadOnChange: false);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
    }

    public async Task ReloadAsync(JsonObject config)
    {
        config = (JsonObject)config.DeepClone();
        config["Urls"] = PublicUrl;
        ((JsonObject)config["FraudGateway"]!["Management"]!)["Url"] = ManagementUrl;
        await File.WriteAllTextAsync(_configPath, config.ToJsonString());
        ((IConfigurationRoot)_app.Configuration).Reload();
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Management.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_configPath);
    }
}
