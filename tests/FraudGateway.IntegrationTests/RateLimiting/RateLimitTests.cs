using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.RateLimiting;

// Rate limits through the real gateway, on the in-memory store and on a real redis-server.
[Collection(RedisCollection.Name)]
public class RateLimitTests(RedisServer redis, Upstreams upstreams)
{
    private static JsonObject Limit(string name, string key, int limit, int windowSeconds, string algorithm = "SlidingWindow", int penaltySeconds = 0) => new()
    {
        ["Name"] = name, ["Key"] = key, ["Limit"] = limit, ["WindowSeconds"] = windowSeconds, ["Algorithm"] = algorithm, ["PenaltySeconds"] = penaltySeconds,
    };

    private static JsonObject WithLoginLimits(string upstream, params JsonObject[] limits)
    {
        var config = GatewayConfig.Default(upstream);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(limits);
        return config;
    }

    private Action<WebApplicationBuilder> UseRedis(string prefix, string? connection = null) => builder =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = connection ?? redis.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = prefix,
            // These tests are about what is counted; a loaded test machine must not turn them into timeout tests.
            ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
        });

    private static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OverTheLimit_Gets429WithRetryAfterAndRateLimitFields(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        var config = WithLoginLimits(upstream.Url, Limit("ip-minute", "ip", 3, 60), Limit("ip-hour", "ip", 30, 3600));
        await using var gateway = await GatewayServer.StartAsync(config, useRedis ? UseRedis(NewPrefix()) : null);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.50.1")));
        }

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal("\"ip-minute\";q=3;w=60, \"ip-hour\";q=30;w=3600", string.Join(",", answers[0].Headers.GetValues("RateLimit-Policy")));
        Assert.StartsWith("\"ip-minute\";r=2;t=", string.Join(",", answers[0].Headers.GetValues("RateLimit")));
        Assert.Contains("\"ip-hour\";r=29;t=", string.Join(",", answers[0].Headers.GetValues("RateLimit")));

        var refused = answers[3];
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "quota-exceeded");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 120);
        Assert.StartsWith("\"ip-minute\";r=0;t=" + retryAfter, string.Join(",", refused.Headers.GetValues("RateLimit")));
        Assert.NotNull(refused.Headers.GetValues("RateLimit-Policy").SingleOrDefault());

        // Another client is not affected; an unprotected route carries no RateLimit fields.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.50.2"))).StatusCode);
        Assert.False((await gateway.Public.GetAsync("/api/ping")).Headers.Contains("RateLimit"));
    }

    [Fact]
    public async Task PrefixLimit_RotatingAddressesInOneSlash64_AreLimitedTogether()
    {
        var upstream = upstreams.SampleApi;
        var config = WithLoginLimits(upstream.Url, Limit("ip", "ip", 100, 60), Limit("slash64", "prefix", 5, 60));
        await using var gateway = await GatewayServer.StartAsync(config, UseRedis(NewPrefix()));

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 8; i++)
        {
            statuses.Add((await gateway.Public.SendAsync(Login("alice", "x", $"2001:db8:99:1::{i:x}"))).StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task HeaderKey_EmptyMissingAndHugeValues_AreBoundedAndCounted()
    {
        var upstream = upstreams.SampleApi;
        var config = WithLoginLimits(upstream.Url, Limit("client", "header:X-Client-Id", 2, 60));
        await using var gateway = await GatewayServer.StartAsync(config, UseRedis(NewPrefix()));

        async Task<HttpStatusCode> Send(string? value)
        {
            var request = Login("alice", "correct-horse-battery");
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Client-Id", value);
            }

            return (await gateway.Public.SendAsync(request)).StatusCode;
        }

        var huge = new string('x', 20_000);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], [await Send(huge), await Send(huge), await Send(huge)]);
        // Missing and empty are one shared value.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], [await Send(null), await Send(""), await Send(null)]);
    }

    [Fact]
    public async Task PenaltyBox_KeepsRefusingAfterTheFirstRefusal()
    {
        var upstream = upstreams.SampleApi;
        var config = WithLoginLimits(upstream.Url, Limit("burst", "ip", 60, 60, "TokenBucket", penaltySeconds: 600));
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"]![0]!["Burst"] = 2;
        await using var gateway = await GatewayServer.StartAsync(config, UseRedis(NewPrefix()));

        for (var i = 0; i < 3; i++)
        {
            await gateway.Public.SendAsync(Login("alice", "x", "100.64.60.1"));
        }

        var refused = await gateway.Public.SendAsync(Login("alice", "x", "100.64.60.1"));
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "quota-exceeded");
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 590, 600);
    }

    [Fact]
    public async Task EveryRequest_OnSingleRedis_IsOneScriptCallAndNothingElse()
    {
        var upstream = upstreams.SampleApi;
        // Three hash-tag groups (the address: ban flag and ip limits; the prefix: ban flag; the route), one call.
        var config = WithLoginLimits(upstream.Url, Limit("ip-minute", "ip", 1000, 60), Limit("ip-hour", "ip", 1000, 3600), Limit("route", "route", 100000, 60));
        await using var gateway = await GatewayServer.StartAsync(config, UseRedis(NewPrefix()));
        await gateway.Public.SendAsync(Login("alice", "x", "100.64.70.1"));

        var evalshaBefore = await redis.CommandCallsAsync("evalsha");
        var evalBefore = await redis.CommandCallsAsync("eval");
        const int requests = 20;
        for (var i = 0; i < requests; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(Login("alice", "x", "100.64.70.1"))).StatusCode);
        }

        // commandstats also counts the calls scripts make inside Redis, so the proof is the script count:
        // one EVALSHA per request, the script never re-sent as EVAL.
        Assert.Equal(requests, await redis.CommandCallsAsync("evalsha") - evalshaBefore);
        Assert.Equal(0, await redis.CommandCallsAsync("eval") - evalBefore);
    }

    [Theory]
    [InlineData("SlidingWindow")]
    [InlineData("TokenBucket")]
    public async Task TwoGatewayProcesses_ShareOneRedis_LetThroughExactlyTheLimit(string algorithm)
    {
        var upstream = upstreams.SampleApi;
        const int limit = 50;
        var config = WithLoginLimits(upstream.Url, Limit("shared", "route", limit, 3600, algorithm));
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["FraudGateway__Store__KeyPrefix"] = NewPrefix(),
            // This test is about counting, not about timeouts: a cold process under 240 concurrent requests
            // must not give up on Redis (and answer 503 under FailClosed) after its script already counted.
            ["FraudGateway__Store__OperationTimeoutMs"] = "5000",
        };
        await using var first = await GatewayProcess.StartAsync(config, environment);
        await using var second = await GatewayProcess.StartAsync(config, environment);

        var requests = Enumerable.Range(0, 240).Select(async i =>
        {
            var gateway = i % 2 == 0 ? first : second;
            var response = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", $"100.64.{80 + (i % 7)}.{1 + (i % 200)}"));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(requests);

        var histogram = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}: {g.Count()}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) == limit, histogram);
        Assert.Equal(240 - limit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
