using System.Text.Json.Nodes;
using FraudGateway.Configuration;
using FraudGateway.IntegrationTests.TestSupport;

namespace FraudGateway.IntegrationTests.Configuration;

public class StartupValidationTests
{
    // Builds the gateway with this configuration and returns the start-up error it must fail with.
    internal static GatewayConfigurationException BuildFails(JsonObject config)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fraudgateway-test-{Guid.NewGuid():N}.json");
        try
        {
            return Assert.Throws<GatewayConfigurationException>(() => GatewayServer.Build(config, path, GatewayUrls.Next()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Started outside its folder (no appsettings.json in the content root): not "ready" with no routes, but exit 2
    // with what is missing and how to start it.
    [Fact]
    public async Task Start_WithoutItsConfiguration_ExitsWithCodeTwoAndSaysWhy()
    {
        var empty = Directory.CreateTempSubdirectory("fraudgateway-empty-").FullName;
        try
        {
            var (exitCode, output) = await GatewayProcess.RunToExitAsync(empty, new Dictionary<string, string>());

            Assert.Equal(2, exitCode);
            Assert.Contains("FraudGateway:Policies: no policy is configured", output);
            Assert.Contains("ReverseProxy:Routes: no route is configured", output);
            Assert.Contains($"No appsettings.json in the content root {empty}", output);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    // A listener's port already taken: one line naming the address and the setting, exit 2, no stack trace.
    [Fact]
    public async Task Start_PortInUse_OneLineNamingAddressAndSetting()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var directory = GatewayProcess.GatewayDirectory();

        var (exitCode, output) = await GatewayProcess.RunToExitAsync(directory, new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["FraudGateway__Management__Url"] = $"http://127.0.0.1:{port}",
        }, "--contentRoot", directory);

        Assert.Equal(2, exitCode);
        Assert.Contains($"FraudGateway cannot listen on http://127.0.0.1:{port}: it is already in use (set by FraudGateway:Management:Url). Stop what listens there or choose another address.", output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled", output);
        Assert.DoesNotContain("fail:", output);
    }

    [Fact]
    public void Start_RouteNamesUnknownPolicy_FailsNamingTheRoute()
    {
        var config = GatewayConfig.Default("http://127.0.0.1:1");
        config["ReverseProxy"]!["Routes"]!["signup"] = GatewayConfig.Route("/api/auth/signup", "sign-up");

        var error = BuildFails(config);

        Assert.Contains("ReverseProxy:Routes:signup names protection policy 'sign-up'", error.Message);
    }

    [Fact]
    public void Start_SeveralProblems_OneMessageListsThemAll()
    {
        var config = GatewayConfig.Default("http://127.0.0.1:1");
        config["FraudGateway"]!["Identity"]!["TrustedProxies"] = new JsonArray("10.0.0.0/8", "not-a-proxy");
        config["FraudGateway"]!["Policies"]!["login"]!["Deny"] = new JsonArray("203.0.113.1/24");
        config["FraudGateway"]!["Management"]!["ApiKey"] = "short";
        config["ReverseProxy"]!["Routes"]!["signup"] = GatewayConfig.Route("/api/auth/signup", "sign-up");

        var error = BuildFails(config);

        Assert.Equal(4, error.Errors.Count);
        Assert.Contains("TrustedProxies:1", error.Message);
        Assert.Contains("Policies:login:Deny:0", error.Message);
        Assert.Contains("ApiKey must be at least 16 characters", error.Message);
        Assert.Contains("sign-up", error.Message);
    }

    [Fact]
    public void Start_BadMetricsSettings_ListedWithTheOtherProblems()
    {
        var config = GatewayConfig.Default("http://127.0.0.1:1");
        config["FraudGateway"]!["Metrics"] = new JsonObject { ["Enabled"] = "maybe", ["Platform"] = "most" };
        config["FraudGateway"]!["Management"]!["ApiKey"] = "short";

        var error = BuildFails(config);

        Assert.Equal(3, error.Errors.Count);
        Assert.Contains("FraudGateway:Metrics:Enabled: 'maybe' is not true or false.", error.Message);
        Assert.Contains("FraudGateway:Metrics:Platform: 'most' is not Essential, All or None.", error.Message);
        Assert.Contains("ApiKey must be at least 16 characters", error.Message);
    }
}
