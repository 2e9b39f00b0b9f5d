using System.Net;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Configuration;

public class ReloadTests
{
    [Fact]
    public async Task Reload_PolicyAndRouteChanges_ApplyWithoutRestart()
    {
        await using var upstream = await SampleApiServer.StartAsync();
        var config = GatewayConfig.Default(upstream.Url);
        await using var gateway = await GatewayServer.StartAsync(config);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.5.5"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Get("/api/ping", "100.64.5.5"))).StatusCode);

        // Deny the client on the login policy, and put /api/ping under that policy too.
        config["FraudGateway"]!["Policies"]!["login"]!["Deny"] = new JsonArray("100.64.5.0/24");
        config["ReverseProxy"]!["Routes"]!["public"] = GatewayConfig.Route("/api/ping", "login");
        await gateway.ReloadAsync(config);

        await EventuallyAsync(async () => (await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.5.5"))).StatusCode == HttpStatusCode.Forbidden, "policy deny list reloaded");
        await EventuallyAsync(async () => (await gateway.Public.SendAsync(Get("/api/ping", "100.64.5.5"))).StatusCode == HttpStatusCode.Forbidden, "route metadata reloaded");
    }

    [Fact]
    public async Task Reload_InvalidConfiguration_IsRejectedAndTheLastGoodOneStays()
    {
        await using var upstream = await SampleApiServer.StartAsync();
        var config = GatewayConfig.Default(upstream.Url);
        await using var gateway = await GatewayServer.StartAsync(config);

        var broken = (JsonObject)config.DeepClone();
        broken["FraudGateway"]!["Policies"]!["login"]!["Deny"] = new JsonArray("not-a-network");
        broken["ReverseProxy"]!["Routes"]!["public"] = GatewayConfig.Route("/api/ping", "no-such-policy");
        await gateway.ReloadAsync(broken);

        // The old deny list still holds, and the route was not switched to a policy that does not exist.
        var denied = await gateway.Public.SendAsync(Login("alice", "x", "203.0.113.50"));
        await denied.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/api/ping")).StatusCode);

        // A later good reload is applied.
        config["FraudGateway"]!["Policies"]!["login"]!["Deny"] = new JsonArray();
        await gateway.ReloadAsync(config);
        await EventuallyAsync(async () => (await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "203.0.113.50"))).StatusCode == HttpStatusCode.OK, "good reload applied");
    }
}
