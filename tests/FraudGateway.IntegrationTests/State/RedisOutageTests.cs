using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// redis-server is killed in the middle of a run and started again: every policy answers as configured while it
// is gone, no request waits on it, and enforcement resumes by itself when it is back.
public class RedisOutageTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private static JsonObject Limit(string name, int limit) => new() { ["Name"] = name, ["Key"] = "ip", ["Limit"] = limit, ["WindowSeconds"] = 3600 };

    [Fact]
    public async Task RedisStopsAndReturns_PoliciesFollowOnStoreFailureThenEnforcementResumes()
    {
        await using var redis = new DedicatedRedis();
        await redis.StartAsync();
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        var policies = (JsonObject)config["FraudGateway"]!["Policies"]!;
        policies["login"]!["RateLimits"] = new JsonArray(Limit("login-ip", 3));
        policies["contact-form"]!["RateLimits"] = new JsonArray(Limit("contact-ip", 3));
        policies["signup"] = new JsonObject { ["OnStoreFailure"] = "FallBackToLocal", ["RateLimits"] = new JsonArray(Limit("signup-ip", 2)) };
        config["ReverseProxy"]!["Routes"]!["signup"] = GatewayConfig.Route("/api/auth/signup", "signup");
        await using var gateway = await GatewayServer.StartAsync(config, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["FraudGateway:Store:OperationTimeoutMs"] = "200",
        }));

        Task<HttpResponseMessage> Login(string ip) => gateway.Public.SendAsync(HttpExtensions.Login("alice", "correct-horse-battery", ip));
        Task<HttpResponseMessage> Contact(string ip)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/contact") { Content = JsonContent.Create(new { name = "A", email = "a@example.org", message = "hi" }) };
            request.Headers.Add("X-Forwarded-For", ip);
            return gateway.Public.SendAsync(request);
        }

        Task<HttpResponseMessage> Signup(string ip)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signup") { Content = JsonContent.Create(new { username = $"user-{Guid.NewGuid():N}", password = "long-enough-password" }) };
            request.Headers.Add("X-Forwarded-For", ip);
            return gateway.Public.SendAsync(request);
        }

        // Before the outage: serving through Redis (a machine busy with other tests may need a moment to warm up), and
        // ready once the store path is warm (StoreWarmup runs beside the requests: a request can be served first).
        await EventuallyAsync(async () => (await Login("100.64.90.1")).StatusCode == HttpStatusCode.OK, "the gateway serves through Redis");
        await EventuallyAsync(async () => (await gateway.Management.GetAsync("/readyz")).IsSuccessStatusCode, "the store path is warm");
        Assert.Contains("redis", await gateway.Management.GetStringAsync("/readyz"));

        await redis.StopAsync();
        var clock = Stopwatch.StartNew();
        var login = await Login("100.64.90.2");
        var contacts = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            contacts.Add((await Contact("100.64.90.3")).StatusCode);
        }

        var signups = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            signups.Add((await Signup("100.64.90.4")).StatusCode);
        }

        var ready = await gateway.Management.GetAsync("/readyz");
        clock.Stop();

        await login.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store-unavailable");
        Assert.All(contacts, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], signups);
        await ready.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store-unavailable");
        // A hang guard, not a performance figure: 9 requests and a readiness probe while Redis is gone
        // (200 ms store timeout each at most) must not add up to anything near a client timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"requests during the outage took {clock.Elapsed}");

        await redis.StartAsync();
        await EventuallyAsync(async () => (await Login("100.64.90.5")).StatusCode == HttpStatusCode.OK, "the gateway reconnects to Redis", TimeSpan.FromSeconds(30));

        // Enforcement through Redis again: the login limit (3 per hour) holds.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await Login("100.64.90.6")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
