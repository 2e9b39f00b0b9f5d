using System.Net;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Identity;

public class SpoofingTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    [Fact]
    public async Task ForwardedFor_FromUntrustedPeer_IsIgnored()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Identity"]!["TrustedProxies"] = new JsonArray();
        // The test client (127.0.0.1) is itself on the deny list: only a believed X-Forwarded-For could change who it is.
        config["FraudGateway"]!["Policies"]!["login"]!["Deny"] = new JsonArray("127.0.0.1");
        await using var gateway = await GatewayServer.StartAsync(config);

        var spoofed = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", forwardedFor: "192.0.2.10"));

        await spoofed.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied");
    }

    [Fact]
    public async Task ForwardedFor_FromTrustedPeer_IsBelieved()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["Deny"] = new JsonArray("127.0.0.1");
        await using var gateway = await GatewayServer.StartAsync(config);

        var proxied = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", forwardedFor: "100.64.0.1"));

        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }
}
