using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FraudGateway.IntegrationTests.TestSupport;

// The real gateway on real Kestrel, configured from a JSON file in a temp folder so a test can edit it
// and reload, exactly as an operator edits appsettings.json.
public sealed class GatewayServer : RunningGateway
{
    private readonly WebApplication _app;
    private readonly string _configPath;

    private GatewayServer(WebApplication app, string configPath, GatewayUrls urls)
        : base(urls)
    {
        _app = app;
        _configPath = configPath;
    }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayServer> StartAsync(JsonObject config, Action<WebApplicationBuilder>? configure = null)
    {
        var urls = GatewayUrls.Next();
        var configPath = Path.Combine(Path.GetTempPath(), $"fraudgateway-test-{Guid.NewGuid():N}.json");
        var app = Build(config, configPath, urls, configure);
        await app.StartAsync();
        return new GatewayServer(app, configPath, urls);
    }

    // Builds without starting: for tests of start-up validation.
    public static WebApplication Build(JsonObject config, string configPath, GatewayUrls urls, Action<WebApplicationBuilder>? configure = null)
    {
        File.WriteAllText(configPath, Placed(config, urls).ToJsonString());

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
        await File.WriteAllTextAsync(_configPath, Placed(config, new GatewayUrls(PublicUrl, ManagementUrl)).ToJsonString());
        ((IConfigurationRoot)_app.Configuration).Reload();
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    protected override async ValueTask StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_configPath);
    }
}
