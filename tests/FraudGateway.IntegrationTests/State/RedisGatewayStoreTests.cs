using FraudGateway.Configuration;
using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.Observation;
using FraudGateway.State;
using FraudGateway.Tests.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FraudGateway.IntegrationTests.State;

// The shared store contract, against a real redis-server. Each test gets its own key prefix.
[Collection(RedisCollection.Name)]
public class RedisGatewayStoreTests : GatewayStoreContractTests
{
    private readonly RedisServer _redis;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];

    public RedisGatewayStoreTests(RedisServer redis)
    {
        _redis = redis;
        Store = CreateStore(_redis, _prefix, Time);
    }

    protected override IGatewayStore Store { get; }

    // The contract runs on the gateway clock (a FakeTimeProvider) so windows can be moved without waiting.
    internal static RedisGatewayStore CreateStore(RedisServer redis, string prefix, TimeProvider time, int timeoutMs = 500, StoreClock clock = StoreClock.Gateway)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GatewayMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        return new RedisGatewayStore(redis.Connection, new StoreOptions { KeyPrefix = prefix, OperationTimeoutMs = timeoutMs, Clock = clock }, time, metrics, NullLogger<RedisGatewayStore>.Instance);
    }

    [Fact]
    public async Task AddBan_EveryKeyWrittenHasAHashTagAndATtl()
    {
        await Store.AddBanAsync(new BanRecord(Address("192.0.2.1"), "t", Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(5)), default);
        await Store.AddBanAsync(new BanRecord(Prefix("192.0.2.0/24"), "t", Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(9)), default);

        var server = _redis.Connection.GetServers()[0];
        var keys = server.Keys(pattern: _prefix + ":*").ToList();
        Assert.Equal(3, keys.Count);
        foreach (var key in keys)
        {
            Assert.Matches(@"^[^{]+:\{[^}]+\}:", key.ToString());
            var ttl = await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { TotalSeconds: > 0 and <= 9 * 60 }, $"{key} has TTL {ttl}");
        }
    }

    [Fact]
    public async Task LuaScripts_EveryScriptLoadsOnRedis()
    {
        var server = _redis.Connection.GetServers()[0];
        foreach (var name in LuaScripts.Names)
        {
            var sha = await server.ScriptLoadAsync(LuaScripts.ReadSource(name));
            Assert.Equal(20, sha.Length);
        }
    }

    [Fact]
    public async Task FindBan_SendsExactlyTwoPipelinedGets()
    {
        var before = await _redis.CommandCallsAsync("get");
        for (var i = 0; i < 10; i++)
        {
            await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default);
        }

        Assert.Equal(20, await _redis.CommandCallsAsync("get") - before);
    }

    [Fact]
    public async Task Count_OnTheRedisClock_EnforcesTheLimit()
    {
        var store = CreateStore(_redis, _prefix, TimeProvider.System, clock: StoreClock.Redis);
        var errors = new List<string>();
        var rule = FraudGateway.RateLimiting.RateLimitRuleParser.Parse("p", [new RateLimitOptions { Name = "r", Key = "ip", Limit = 3, WindowSeconds = 3600 }], "t", errors)[0];
        var allowed = 0;
        for (var i = 0; i < 5; i++)
        {
            var group = new FraudGateway.Counters.CounterGroup("i:redis-clock");
            group.Limits.Add(new FraudGateway.Counters.CounterLimit(0, rule, rule.KeySuffix));
            allowed += (await store.CountAsync(new FraudGateway.Counters.CounterRequest([group], 1), default)).Decisions[0].Allowed ? 1 : 0;
        }

        // A fresh key has no previous window to weigh in: exactly the limit passes.
        Assert.Equal(3, allowed);
    }

    [Fact]
    public async Task FindBan_RedisPaused_ThrowsStoreUnavailableWithinTheTimeout()
    {
        var store = CreateStore(_redis, _prefix, Time, timeoutMs: 100);
        await _redis.Connection.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", "1000", "ALL");
        try
        {
            var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
                await store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default));
            Assert.Equal("find-ban", failure.Operation);
        }
        finally
        {
            // Answered once the pause is over, so the next test starts with a responsive Redis.
            await _redis.Connection.GetDatabase().PingAsync();
        }
    }
}
