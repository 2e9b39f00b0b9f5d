using System.Net;
using System.Security.Cryptography;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Configuration;

// The top-level docker-compose.yml cannot drift from the gateway's options: docker-compose itself resolves the file
// (with .env.example), and the gateway binary is started with exactly the environment it gives the gateway service,
// host names mapped to loopback. With the example secrets the gateway must refuse to start; with real ones it must
// start, validate and protect the demo routes.
[Collection(RedisCollection.Name)]
public class ComposeEnvironmentTests(RedisServer redis, Upstreams upstreams)
{
    [Fact]
    public async Task ComposeFile_IsValid_WithEveryProfile_AndTheClusterOverride()
    {
        var (exit, output) = await ComposeFile.RunAsync("--profile", "load", "config", "-q");
        Assert.True(exit == 0, output);

        (exit, output) = await ComposeFile.RunAsync("-f", Path.Combine(ComposeFile.Root, "docker-compose.cluster.yml"), "--profile", "load", "config", "-q");
        Assert.True(exit == 0, output);
    }

    // Prometheus and k6 start once the gateways are healthy (not merely created); on the cluster the gateways start
    // once the cluster has been formed.
    [Fact]
    public async Task ComposeFile_StartsEachServiceOnceWhatItNeedsIsReady()
    {
        var (exit, output) = await ComposeFile.RunAsync("-f", Path.Combine(ComposeFile.Root, "docker-compose.cluster.yml"), "--profile", "load", "config");
        Assert.True(exit == 0, output);
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(output));
        var services = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        string Condition(string service, string on) =>
            ((YamlDotNet.RepresentationModel.YamlScalarNode)((YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)services[service])["depends_on"])[on])["condition"]).Value!;

        foreach (var watcher in new[] { "prometheus", "k6" })
        {
            Assert.Equal("service_healthy", Condition(watcher, "gateway-1"));
            Assert.Equal("service_healthy", Condition(watcher, "gateway-2"));
        }

        Assert.Equal("service_completed_successfully", Condition("gateway-1", "redis-cluster-init"));
        Assert.Equal("service_completed_successfully", Condition("gateway-2", "redis-cluster-init"));
        Assert.Equal("service_healthy", Condition("redis-cluster-init", "redis-cluster-1"));
    }

    // `docker-compose -f docker-compose.yml config -q` on a fresh clone (no .env): the secrets fall back to the
    // example values, which the gateway refuses (below), and the file resolves to the same configuration.
    [Fact]
    public async Task ComposeFile_Resolves_WithoutAnEnvFile_ToTheExampleValues()
    {
        var (exit, output) = await ComposeFile.RunAsync(withEnvFile: false, "config");
        var (_, withExample) = await ComposeFile.RunAsync("config");

        Assert.True(exit == 0, output);
        Assert.Equal(withExample, output);
    }

    [Fact]
    public async Task Gateway_WithTheExampleSecrets_RefusesToStart()
    {
        var upstream = upstreams.SampleApi;
        var simulator = upstreams.Simulator;
        var environment = await ComposeFile.GatewayEnvironmentAsync(redis.Endpoint, upstream.Url, simulator.Url);

        var failure = await Assert.ThrowsAsync<GatewayProcessFailedException>(() => GatewayProcess.StartShippedAsync(environment));

        Assert.Contains("FraudGateway:Management:ApiKey is the example value from .env.example", failure.Message, StringComparison.Ordinal);
        Assert.Contains("FraudGateway:Privacy:HmacKey is the example value", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_WithTheComposeEnvironment_StartsAndProtectsTheDemoRoutes()
    {
        var upstream = upstreams.SampleApi;
        var simulator = upstreams.Simulator;
        var apiKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var environment = await ComposeFile.GatewayEnvironmentWithSecretsAsync(redis.Endpoint, upstream.Url, simulator.Url, apiKey);

        await using var gateway = await GatewayProcess.StartShippedAsync(environment);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(BrowserLogin("alice", "correct-horse-battery", "100.64.140.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(BrowserLogin("alice", "wrong", "100.64.140.2"))).StatusCode);
        // The shipped login policy's deny list.
        await (await gateway.Public.SendAsync(BrowserLogin("alice", "correct-horse-battery", "203.0.113.9"))).AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied");
        using var admin = new HttpClient { BaseAddress = new Uri(gateway.ManagementUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var readiness = await admin.GetStringAsync("/readyz");
        Assert.Contains("redis", readiness, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/model")).StatusCode);
        Assert.Contains("fraudgateway_decisions", await admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
        // Logs are JSON lines, as the compose file asks.
        Assert.Contains(gateway.Output, line => line.StartsWith("{\"EventId\"", StringComparison.Ordinal));
    }
}
