using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FraudGateway.Configuration;
using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.Observation;
using FraudGateway.State;
using FraudGateway.State.Redis;
using FraudGateway.Tests.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// The whole store contract against a 3-master Redis Cluster: any key of one script call in another slot would
// fail with CROSSSLOT here.
[Collection(RedisClusterCollection.Name)]
public class RedisClusterStoreTests : GatewayStoreContractTests
{
    private readonly RedisClusterServer _cluster;

    public RedisClusterStoreTests(RedisClusterServer cluster)
    {
        _cluster = cluster;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GatewayMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var options = new StoreOptions { KeyPrefix = "c" + Guid.NewGuid().ToString("N")[..12], OperationTimeoutMs = 1000, Clock = StoreClock.Gateway };
        Store = new RedisGatewayStore(cluster.Connection, options, Time, metrics, NullLogger<RedisGatewayStore>.Instance);
    }

    protected override IGatewayStore Store { get; }

    // Every primary runs the counters script during the warm-up, so no shard meets its first call under load.
    [Fact]
    public async Task Warm_RunsTheCountersScriptOnEveryPrimary()
    {
        var masters = _cluster.Masters.ToArray();
        var before = await Task.WhenAll(masters.Select(ScriptCallsAsync));

        await Store.WarmAsync(default);

        var after = await Task.WhenAll(masters.Select(ScriptCallsAsync));
        Assert.Equal(3, masters.Length);
        Assert.All(Enumerable.Range(0, masters.Length), m => Assert.True(after[m] > before[m], $"primary {masters[m].EndPoint} ran no script"));
        Assert.True(await Store.IsReadyAsync(default));
    }

    private static async Task<long> ScriptCallsAsync(StackExchange.Redis.IServer server)
    {
        var stats = await server.InfoAsync("commandstats");
        return stats.SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

[Collection(RedisClusterCollection.Name)]
public class RedisClusterGatewayTests(RedisClusterServer cluster, Upstreams upstreams)
{
    [Fact]
    public async Task Gateway_OnRedisCluster_EnforcesLimitsAndBansAcrossSlots()
    {
        var prefix = "c" + Guid.NewGuid().ToString("N")[..12];
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip", ["Key"] = "ip", ["Limit"] = 3, ["WindowSeconds"] = 600 },
            new JsonObject { ["Name"] = "prefix", ["Key"] = "prefix", ["Limit"] = 100, ["WindowSeconds"] = 600 },
            new JsonObject { ["Name"] = "route", ["Key"] = "route", ["Limit"] = 1000, ["WindowSeconds"] = 600, ["Algorithm"] = "TokenBucket" },
            new JsonObject { ["Name"] = "combo", ["Key"] = "header:X-Client+ip", ["Limit"] = 1000, ["WindowSeconds"] = 600 });
        await using var gateway = await GatewayServer.StartAsync(config, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = cluster.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = prefix,
            ["FraudGateway:Store:OperationTimeoutMs"] = "1000",
        }));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            var request = Login("alice", "correct-horse-battery", $"100.64.{i}.1");
            request.Headers.Add("X-Client", $"client-{i}");
            statuses.Add((await gateway.Public.SendAsync(request)).StatusCode);
        }

        var limited = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            limited.Add((await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.200.1"))).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], limited);

        Assert.Equal(HttpStatusCode.Created, (await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "100.64.201.0/24", ttlSeconds = 60 })).StatusCode);
        var banned = await gateway.Public.SendAsync(Login("alice", "x", "100.64.201.9"));
        await banned.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");
        Assert.Contains("\"kind\":\"prefix\"", await gateway.Admin.GetStringAsync("/admin/bans"));

        // One script call per hash-tag group (address, prefix, route, header), pipelined: four per request.
        long Evalsha() => cluster.Masters.Sum(m => m.Info("commandstats").SelectMany(g => g)
            .Where(kv => kv.Key == "cmdstat_evalsha").Select(kv => long.Parse(kv.Value.Split(',')[0]["calls=".Length..])).SingleOrDefault());
        var before = Evalsha();
        var probe = Login("alice", "correct-horse-battery", "100.64.202.1");
        probe.Headers.Add("X-Client", "probe");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(probe)).StatusCode);
        Assert.Equal(4, Evalsha() - before);

        // The keys really are spread over the cluster's masters.
        var mastersHoldingKeys = cluster.Masters.Count(m => m.Keys(pattern: prefix + ":*").Any());
        Assert.True(mastersHoldingKeys >= 2, $"keys on {mastersHoldingKeys} master(s)");
    }
}
