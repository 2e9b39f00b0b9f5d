using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// The gateway with ConnectionStrings:Redis set, against a real redis-server.
[Collection(RedisCollection.Name)]
public class RedisGatewayTests(RedisServer redis, Upstreams upstreams)
{
    private static Action<WebApplicationBuilder> UseRedis(string connectionString, string prefix, int timeoutMs = 2000) => builder =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = connectionString,
            ["FraudGateway:Store:KeyPrefix"] = prefix,
            ["FraudGateway:Store:OperationTimeoutMs"] = timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    [Fact]
    public async Task TwoGateways_ShareOneRedis_ABanSetOnOneBlocksOnBoth()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        await using var first = await GatewayServer.StartAsync(config, UseRedis(redis.ConnectionString, prefix));
        await using var second = await GatewayServer.StartAsync(config, UseRedis(redis.ConnectionString, prefix));

        var added = await first.Admin.PostAsJsonAsync("/admin/bans", new { subject = "100.64.20.0/24", ttlSeconds = 300, reason = "shared" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var blocked = await second.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.20.99"));
        await blocked.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");
        Assert.Contains("shared", await second.Admin.GetStringAsync("/admin/bans"));
        // Ready once its store path is warm (StoreWarmup runs beside the requests above).
        await EventuallyAsync(async () => (await second.Management.GetAsync("/readyz")).IsSuccessStatusCode, "the store path is warm");
        Assert.Contains("redis", await second.Management.GetStringAsync("/readyz"));

        Assert.Equal(HttpStatusCode.NoContent, (await second.Admin.DeleteAsync("/admin/bans?subject=100.64.20.0/24")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.20.99"))).StatusCode);
    }

    // A client over its limit is refused from each instance's in-process over-limit cache; an admin lift on one
    // instance clears that cache on both (pub/sub through the shared Redis), so the next request passes everywhere.
    [Fact]
    public async Task TwoGateways_AnAdminLiftOnOneClearsTheOverLimitCacheOnBoth()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 2, ["WindowSeconds"] = 60, ["PenaltySeconds"] = 300 });
        await using var first = await GatewayServer.StartAsync(config, UseRedis(redis.ConnectionString, prefix));
        await using var second = await GatewayServer.StartAsync(config, UseRedis(redis.ConnectionString, prefix));
        const string ip = "100.64.30.7";

        Assert.Equal(HttpStatusCode.OK, (await first.Public.SendAsync(Login("alice", "correct-horse-battery", ip))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(Login("alice", "correct-horse-battery", ip))).StatusCode);
        foreach (var gateway in new[] { first, second, first, second })
        {
            var refused = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", ip));
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "quota-exceeded");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await first.Admin.DeleteAsync($"/admin/limits?policy=login&limit=ip-minute&ip={ip}")).StatusCode);

        // At once on the instance that lifted it; on the other as soon as the announcement arrives.
        Assert.Equal(HttpStatusCode.OK, (await first.Public.SendAsync(Login("alice", "correct-horse-battery", ip))).StatusCode);
        await EventuallyAsync(async () => (await second.Public.SendAsync(Login("alice", "correct-horse-battery", ip))).StatusCode == HttpStatusCode.OK,
            "the second instance forgetting its cached refusal");
    }

    [Fact]
    public async Task RedisUnreachableAtStart_GatewayStartsAndFollowsEachPolicy()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        var nowhere = $"127.0.0.1:{FreePort.Next()},connectTimeout=300";
        await using var gateway = await GatewayServer.StartAsync(config, UseRedis(nowhere, "unreachable"));

        var ready = await gateway.Management.GetAsync("/readyz");
        var loginFailsClosed = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.30.1"));
        var contactFailsOpen = await gateway.Public.PostAsJsonAsync("/api/contact", new { name = "A", email = "a@example.org", message = "hi" });
        var unprotected = await gateway.Public.GetAsync("/api/ping");
        var adminList = await gateway.Admin.GetAsync("/admin/bans");

        await ready.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store-unavailable");
        await loginFailsClosed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store-unavailable");
        Assert.Equal(HttpStatusCode.Accepted, contactFailsOpen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unprotected.StatusCode);
        await adminList.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store-unavailable");
    }

    [Fact]
    public async Task RedisStalls_RequestsFollowThePolicyInsteadOfWaiting()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        // A short store timeout: this test is about what a stalled Redis does to requests.
        await using var gateway = await GatewayServer.StartAsync(config, UseRedis(redis.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..12], timeoutMs: 50));
        await EventuallyAsync(async () => (await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.40.1"))).StatusCode == HttpStatusCode.OK, "serving through Redis");

        await redis.Connection.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", "1500", "ALL");
        try
        {
            var loginFailsClosed = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.40.1"));
            var contactFailsOpen = await gateway.Public.PostAsJsonAsync("/api/contact", new { name = "A", email = "a@example.org", message = "hi" });

            await loginFailsClosed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store-unavailable");
            Assert.Equal(HttpStatusCode.Accepted, contactFailsOpen.StatusCode);
        }
        finally
        {
            await redis.Connection.GetDatabase().PingAsync();
        }

        // Redis is back: enforcement resumes without a restart.
        await EventuallyAsync(async () => (await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.40.1"))).StatusCode == HttpStatusCode.OK, "store answers again");
    }
}
