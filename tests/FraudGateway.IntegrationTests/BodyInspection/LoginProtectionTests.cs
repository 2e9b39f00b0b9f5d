using System.Net;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.BodyInspection;

// Attacks on the real SampleApi's login through the real gateway, with failure-counting limits.
[Collection(RedisCollection.Name)]
public class LoginProtectionTests(RedisServer redis, Upstreams upstreams)
{
    private static JsonObject Failures(string name, string key, int limit, int penaltySeconds = 0, bool resetOnSuccess = false, string algorithm = "SlidingWindow", int? burst = null)
    {
        var rule = new JsonObject
        {
            ["Name"] = name, ["Key"] = key, ["Limit"] = limit, ["WindowSeconds"] = 3600, ["Counts"] = "Failures",
            ["PenaltySeconds"] = penaltySeconds, ["ResetOnSuccess"] = resetOnSuccess, ["Algorithm"] = algorithm,
        };
        if (burst is not null)
        {
            rule["Burst"] = burst;
        }

        return rule;
    }

    private async Task<GatewayServer> StartAsync(SampleApiServer upstream, bool useRedis, params JsonObject[] limits)
    {
        var config = GatewayConfig.Default(upstream.Url);
        var login = config["FraudGateway"]!["Policies"]!["login"]!;
        login["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        login["LoginOutcome"] = new JsonObject { ["FailureStatusCodes"] = new JsonArray(401) };
        login["RateLimits"] = new JsonArray(limits);
        Action<WebApplicationBuilder>? configure = useRedis
            ? builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = redis.ConnectionString,
                ["FraudGateway:Store:KeyPrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
                // These tests are about what is counted; a loaded test machine must not turn them into timeout tests.
                ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
            })
            : null;
        return await GatewayServer.StartAsync(config, configure);
    }

    private static async Task<HttpStatusCode> Try(GatewayServer gateway, string user, string password, string ip) =>
        (await gateway.Public.SendAsync(Login(user, password, ip))).StatusCode;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BruteForce_OneAccountFromOneIp_IsLockedOut_SuccessResets_AdminLifts(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await StartAsync(upstream, useRedis, Failures("brute-force", "account+ip", 3, penaltySeconds: 900, resetOnSuccess: true));
        const string ip = "100.64.110.1";

        // Two failures, then a success: the count starts again.
        Assert.Equal(HttpStatusCode.Unauthorized, await Try(gateway, "alice", "wrong", ip));
        Assert.Equal(HttpStatusCode.Unauthorized, await Try(gateway, "alice", "wrong", ip));
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "alice", "correct-horse-battery", ip));
        Assert.Equal(HttpStatusCode.Unauthorized, await Try(gateway, "ALICE ", "wrong", ip));
        Assert.Equal(HttpStatusCode.Unauthorized, await Try(gateway, "alice", "wrong", ip));
        Assert.Equal(HttpStatusCode.Unauthorized, await Try(gateway, "Alice", "wrong", ip));

        // Three failures: locked out for this account from this IP, even with the right password.
        var locked = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", ip));
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "quota-exceeded");
        Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single()), 800, 900);
        // Another account from the same IP, and the same account from another IP, are not locked.
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "bob", "hunter2-hunter2", ip));
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "alice", "correct-horse-battery", "100.64.111.1"));

        var lift = await gateway.Admin.DeleteAsync($"/admin/limits?policy=login&limit=brute-force&account=Alice&ip={ip}");
        Assert.Equal(HttpStatusCode.NoContent, lift.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "alice", "correct-horse-battery", ip));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CredentialStuffing_OneIpManyAccounts_IsThrottled(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await StartAsync(upstream, useRedis,
            Failures("brute-force", "account+ip", 10),
            Failures("ip-failures", "ip", 100, algorithm: "TokenBucket", burst: 5));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add(await Try(gateway, $"user{i}@example.org", "Summer2024!", "100.64.120.1"));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        // A legitimate user from another address is not affected.
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "bob", "hunter2-hunter2", "100.64.121.1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DistributedAttack_ManyIpsOneAccount_TripsTheAccountLimit(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await StartAsync(upstream, useRedis,
            Failures("brute-force", "account+ip", 10),
            Failures("account-failures", "account", 4, penaltySeconds: 600));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add(await Try(gateway, i % 2 == 0 ? "bob" : "BOB", "guess" + i, $"2001:db8:{i + 1}::1"));
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "alice", "correct-horse-battery", "2001:db8:99::1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManyAccountsFromOneIp_DistinctAccountLimit_RefusesEvenValidLogins(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        var distinct = new JsonObject { ["Name"] = "accounts-per-ip", ["Key"] = "ip", ["Limit"] = 3, ["WindowSeconds"] = 3600, ["Counts"] = "DistinctAccounts" };
        await using var gateway = await StartAsync(upstream, useRedis, distinct);
        const string ip = "100.64.130.1";

        var statuses = new List<HttpStatusCode>
        {
            await Try(gateway, "alice", "correct-horse-battery", ip),
            await Try(gateway, "bob", "hunter2-hunter2", ip),
            await Try(gateway, "ALICE", "correct-horse-battery", ip),
            await Try(gateway, "carol@example.org", "x", ip),
            await Try(gateway, "dave@example.org", "x", ip),
            await Try(gateway, "alice", "correct-horse-battery", ip),
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, await Try(gateway, "alice", "correct-horse-battery", "100.64.131.1"));
    }

    [Fact]
    public async Task LoginOutcomeFromJsonField_200WithSuccessFalse_CountsAsAFailure()
    {
        var echo = upstreams.Echo;
        var config = GatewayConfig.Default(echo.Url);
        config["FraudGateway"]!["Policies"]!["json-login"] = new JsonObject
        {
            ["BodyInspection"] = new JsonObject { ["AccountField"] = "username" },
            ["LoginOutcome"] = new JsonObject { ["FailureStatusCodes"] = new JsonArray(401), ["JsonField"] = "success", ["FailureJsonValues"] = new JsonArray("false") },
            ["RateLimits"] = new JsonArray(Failures("brute-force", "account+ip", 2, penaltySeconds: 300, resetOnSuccess: true)),
        };
        config["ReverseProxy"]!["Routes"]!["json-login"] = GatewayConfig.Route("/json-login", "json-login");
        await using var gateway = await GatewayServer.StartAsync(config);

        async Task<HttpResponseMessage> Send(string password)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/json-login") { Content = System.Net.Http.Json.JsonContent.Create(new { username = "carol", password }) };
            request.Headers.Add("X-Forwarded-For", "100.64.160.1");
            return await gateway.Public.SendAsync(request);
        }

        var first = await Send("wrong");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("invalid credentials", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Send("right")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("wrong")).StatusCode);

        // Two failures (200 {"success": false}) since the success reset: locked. A JSON-classified outcome is
        // recorded after the answer has gone out, so it may land a moment after the client has read it.
        await EventuallyAsync(async () => (await Send("right")).StatusCode == HttpStatusCode.TooManyRequests, "lockout from JSON-classified failures");
    }

    [Fact]
    public async Task AdminLift_BadInput_Gets400()
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await StartAsync(upstream, false, Failures("brute-force", "account+ip", 3));

        foreach (var query in new[] { "policy=nope&limit=brute-force", "policy=login&limit=nope", "policy=login&limit=brute-force&ip=1.2.3.4", "policy=login&limit=brute-force&account=a&ip=x" })
        {
            var response = await gateway.Admin.DeleteAsync("/admin/limits?" + query);
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        }
    }
}
