using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using StackExchange.Redis;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// Approximate counting with two gateway processes on a redis-server of this test's own: a burst stays within the
// documented bound, a key one instance counted is known to the other after a sync, and Redis runs far fewer calls
// than there are requests. Exact mode stays exact (ColdStartTests, RedisGatewayTests).
public class ApproximateCountingTests(Xunit.Abstractions.ITestOutputHelper output, Upstreams upstreams) : IClassFixture<Upstreams>
{
    private const int Limit = 50;

    private static JsonObject Config(string upstreamUrl)
    {
        var config = GatewayConfig.Default(upstreamUrl);
        var login = config["FraudGateway"]!["Policies"]!["login"]!;
        login["Counting"] = "Approximate";
        // An hour's window: a window boundary (where the sliding estimate weighs two windows) almost never falls
        // inside the test.
        login["RateLimits"] = new JsonArray(new JsonObject { ["Name"] = "ip-hour", ["Key"] = "ip", ["Limit"] = Limit, ["WindowSeconds"] = 3600 });
        return config;
    }

    private static async Task<int> OkCountAsync(GatewayProcess gateway, string ip, int requests, bool concurrent)
    {
        async Task<bool> OneAsync()
        {
            using var response = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", ip));
            return response.StatusCode == HttpStatusCode.OK;
        }

        if (concurrent)
        {
            return (await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => OneAsync()))).Count(ok => ok);
        }

        var ok = 0;
        for (var i = 0; i < requests; i++)
        {
            ok += await OneAsync() ? 1 : 0;
        }

        return ok;
    }

    [Fact]
    public async Task TwoInstances_StayWithinTheBound_ShareCountsAfterASync_AndCallRedisPerIntervalNotPerRequest()
    {
        await using var redis = new DedicatedRedis();
        await redis.StartAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
        var upstream = upstreams.SampleApi;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["FraudGateway__Store__KeyPrefix"] = "approx",
            ["FraudGateway__Store__ApproximateSyncMs"] = "500",
        };
        await using var first = await GatewayProcess.StartAsync(Config(upstream.Url), environment);
        await using var second = await GatewayProcess.StartAsync(Config(upstream.Url), environment);

        // A burst of 100 on each at once: each instance alone never lets more than the limit through; together they
        // let through at most the limit plus what the other let through before they synced:
        // Limit + (instances - 1) x min(Limit, requests per instance in that interval).
        const string burst = "100.64.150.1";
        var counts = await Task.WhenAll(OkCountAsync(first, burst, 100, concurrent: true), OkCountAsync(second, burst, 100, concurrent: true));
        Assert.All(counts, c => Assert.InRange(c, 0, Limit));
        output.WriteLine($"burst: {counts[0]} + {counts[1]} let through of 200 (limit {Limit})");
        Assert.InRange(counts.Sum(), Limit, Limit + ((2 - 1) * Limit));

        // One client: 30 through the first; once the first has synced, the second knows them and lets 20 through.
        const string shared = "100.64.150.2";
        Assert.Equal(30, await OkCountAsync(first, shared, 30, concurrent: false));
        await EventuallyAsync(async () =>
        {
            var report = JsonDocument.Parse(await first.Admin.GetStringAsync("/admin/subjects?ip=" + shared)).RootElement;
            return report.GetProperty("limits")[0].GetProperty("remainingAfterNext").GetInt64() == Limit - 30 - 1;
        }, "the first instance's 30 in Redis");
        Assert.Equal(Limit - 30, await OkCountAsync(second, shared, 30, concurrent: false));

        // Redis cost follows the keys in use and the intervals, not the requests: 45 counted requests of one client
        // (exact counting: 45 script calls), one read of the new key and one sync per 500 ms interval.
        var before = await ScriptCallsAsync(admin);
        Assert.Equal(45, await OkCountAsync(first, "100.64.150.3", 45, concurrent: false));
        var calls = await ScriptCallsAsync(admin) - before;
        output.WriteLine($"{calls} script calls for 45 requests");
        Assert.True(calls <= 45 / 3, $"{calls} script calls for 45 requests");
    }

    private static async Task<long> ScriptCallsAsync(ConnectionMultiplexer admin)
    {
        var info = await admin.GetServers()[0].InfoAsync("commandstats");
        return info.SelectMany(g => g)
            .Where(kv => kv.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(kv => long.Parse(kv.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
