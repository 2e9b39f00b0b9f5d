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
            return Assert.Throws<GatewayConfigurationException>(() => GatewayServer.Build(config, path, FreePort.Next(), FreePort.Next()));
        }
        finally
        {
            File.Delete(path);
        }
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
