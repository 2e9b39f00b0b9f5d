using System.Net;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Forwarding;

public class UpstreamFailureTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    [Fact]
    public async Task UpstreamDown_Gets502Problem()
    {
        // A port with nothing listening: the connection is refused at once.
        var config = GatewayConfig.Default($"http://127.0.0.1:{FreePort.Next()}");
        await using var gateway = await GatewayServer.StartAsync(config);

        var unprotected = await gateway.Public.GetAsync("/api/ping");
        var protectedRoute = await gateway.Public.SendAsync(Login("alice", "x"));

        await unprotected.AssertProblemAsync(HttpStatusCode.BadGateway, "upstream-unavailable");
        await protectedRoute.AssertProblemAsync(HttpStatusCode.BadGateway, "upstream-unavailable");
    }

    [Fact]
    public async Task ClusterWithoutDestinations_Gets503Problem()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["ReverseProxy"]!["Clusters"]!["empty"] = new JsonObject();
        config["ReverseProxy"]!["Routes"]!["nowhere"] = GatewayConfig.Route("/api/nowhere", policy: null, cluster: "empty");
        await using var gateway = await GatewayServer.StartAsync(config);

        var response = await gateway.Public.GetAsync("/api/nowhere");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "no-healthy-upstream");
    }

    [Fact]
    public async Task UpstreamNeverAnswers_Gets504ProblemAfterTheActivityTimeout()
    {
        // An upstream that accepts the connection and then says nothing.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<System.Net.Sockets.TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    accepted.Add(await silent.AcceptTcpClientAsync());
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
        var config = GatewayConfig.Default($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        config["ReverseProxy"]!["Clusters"]!["sample-api"]!["HttpRequest"] = new JsonObject { ["ActivityTimeout"] = "00:00:01" };
        await using var gateway = await GatewayServer.StartAsync(config);

        var response = await gateway.Public.GetAsync("/api/ping");

        await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, "upstream-timeout");
        silent.Stop();
    }
}
