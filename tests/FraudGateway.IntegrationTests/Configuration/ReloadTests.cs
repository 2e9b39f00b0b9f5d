using System.Net;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Configuration;

public class ReloadTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    [Fact]
    public async Task Reload_PolicyAndRouteChanges_ApplyWithoutRestart()
    {
        var upstream = upstreams.SampleApi;
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
        var upstream = upstreams.SampleApi;
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

    // Model paths resolve against the content root (here the process's own folder), /admin/model shows the resolved
    // path, and changing a start-only setting in a live edit says that it needs a restart instead of doing nothing.
    [Fact]
    public async Task ModelPaths_ResolveAgainstTheContentRoot_AndAChangeSaysRestart()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Model"] = new JsonObject { ["CandidatePath"] = "models/candidate.zip" };
        var shipped = Path.Combine(AppContext.BaseDirectory, "models", "fraudgateway.zip");
        await using var gateway = await GatewayProcess.StartAsync(config, new Dictionary<string, string>(), prepare: root =>
        {
            System.IO.Directory.CreateDirectory(Path.Combine(root, "models"));
            File.Copy(shipped, Path.Combine(root, "models", "candidate.zip"));
        });

        var model = JsonNode.Parse(await gateway.Admin.GetStringAsync("/admin/model"))!;
        Assert.Equal(Path.Combine(gateway.Directory, "models", "candidate.zip"), (string?)model["candidate"]!["path"]);
        Assert.NotNull((string?)model["candidate"]!["version"]);
        Assert.Null(model["candidate"]!["lastError"]);
        Assert.EndsWith(Path.Combine("models", "fraudgateway.zip"), (string?)model["live"]!["path"]);

        var settings = Path.Combine(gateway.Directory, "appsettings.json");
        var edited = JsonNode.Parse(await File.ReadAllTextAsync(settings))!;
        edited["FraudGateway"]!["Model"]!["CandidatePath"] = "models/other.zip";
        await File.WriteAllTextAsync(settings, edited.ToJsonString());

        await EventuallyAsync(() => Task.FromResult(gateway.Output.Any(l => l.Contains("take effect after a restart: FraudGateway:Model:CandidatePath", StringComparison.Ordinal))), "restart-needed warning");
        model = JsonNode.Parse(await gateway.Admin.GetStringAsync("/admin/model"))!;
        Assert.Equal(Path.Combine(gateway.Directory, "models", "candidate.zip"), (string?)model["candidate"]!["path"]);
    }
}
