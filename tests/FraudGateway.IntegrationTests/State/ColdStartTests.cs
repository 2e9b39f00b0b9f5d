using System.Net;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// Two freshly started gateway processes take a burst as their very first traffic after /readyz said ready, with the
// default 50 ms store timeout: a cold instance must count exactly like a warm one and never give up on the store.
internal static class ColdStart
{
    public const int Limit = 50;
    public const int Requests = 200;

    public static async Task BurstOnFreshProcessesAsync(SampleApiServer upstream, string redisConnection)
    {
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = Limit, ["WindowSeconds"] = 60 });
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redisConnection,
            ["FraudGateway__Store__KeyPrefix"] = "cold" + Guid.NewGuid().ToString("N")[..12],
        };
        await using var first = await GatewayProcess.StartAsync(config, environment);
        await using var second = await GatewayProcess.StartAsync(config, environment);

        var statuses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            var gateway = i % 2 == 0 ? first : second;
            using var response = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "100.64.77.7"));
            return response.StatusCode;
        }));

        var histogram = string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) == Limit, histogram);
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) == Requests - Limit, histogram);
    }
}

[Collection(RedisCollection.Name)]
public class ColdStartTests(RedisServer redis, Upstreams upstreams)
{
    [Fact]
    public Task FreshProcesses_OnOneRedis_LetThroughExactlyTheLimit_WithoutA503() => ColdStart.BurstOnFreshProcessesAsync(upstreams.SampleApi, redis.Endpoint);
}

[Collection(RedisClusterCollection.Name)]
public class ColdStartClusterTests(RedisClusterServer cluster, Upstreams upstreams)
{
    [Fact]
    public Task FreshProcesses_OnRedisCluster_LetThroughExactlyTheLimit_WithoutA503() => ColdStart.BurstOnFreshProcessesAsync(upstreams.SampleApi, cluster.ConnectionString);
}
