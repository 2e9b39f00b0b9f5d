using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.Observation;
using FraudGateway.RateLimiting;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using FraudGateway.State.Redis;
using FraudGateway.Tests.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FraudGateway.IntegrationTests.State.Redis;

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
    internal static RedisGatewayStore CreateStore(RedisServer redis, string prefix, TimeProvider time, int timeoutMs = 5000, StoreClock clock = StoreClock.Gateway, int maxRequestsPerCall = 32, Action<Action>? schedule = null, int warmupRequests = 0, int warmupTimeoutMs = 1000)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GatewayMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var options = new StoreOptions { KeyPrefix = prefix, OperationTimeoutMs = timeoutMs, Clock = clock, MaxRequestsPerCall = maxRequestsPerCall, WarmupRequests = warmupRequests, WarmupTimeoutMs = warmupTimeoutMs };
        return new RedisGatewayStore(redis.Connection, options, time, metrics, NullLogger<RedisGatewayStore>.Instance, schedule);
    }

    private static RateLimitRule Rule(string name, int limit) =>
        RateLimitRuleParser.Parse("p", [new RateLimitOptions { Name = name, Key = "ip", Limit = limit, WindowSeconds = 3600 }], "t", [])[0];

    // One request: its own address's limit (slot 0) and a limit every request shares (slot 1), as a route's.
    private static CounterRequest TwoLimits(string client, RateLimitRule own, RateLimitRule shared)
    {
        var mine = new CounterGroup("i:" + client);
        mine.Limits.Add(new CounterLimit(0, own, StoreKeys.LimitSuffix(own)));
        var everyone = new CounterGroup("r:shared");
        everyone.Limits.Add(new CounterLimit(1, shared, StoreKeys.LimitSuffix(shared)));
        return new CounterRequest([mine, everyone], 2);
    }

    // Holds every script call in Redis for a moment (CLIENT PAUSE WRITE holds EVALSHA), so a call is surely in flight.
    private Task PauseScriptsAsync(int ms) => _redis.Connection.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", ms.ToString(System.Globalization.CultureInfo.InvariantCulture), "WRITE");

    // A write waits out the pause: when it returns, Redis has resumed and run the calls it held.
    private Task WaitOutPauseAsync() => _redis.Connection.GetDatabase().StringSetAsync(_prefix + ":{x}:stall-over", "1", TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Count_RequestsArrivingTogether_GoInSharedScriptCalls_EachWithItsOwnAnswer()
    {
        var sends = new List<Action>();
        var store = CreateStore(_redis, _prefix, Time, maxRequestsPerCall: 32, schedule: sends.Add);
        var own = Rule("own", 5);
        var shared = Rule("shared", 50);
        // Redis knows the script after this (a first EVALSHA may be answered NOSCRIPT and retried as EVAL).
        await store.CountAsync(TwoLimits("warm-up", own, Rule("warm-up", 5)), default);
        var before = await _redis.CommandCallsAsync("evalsha");
        await PauseScriptsAsync(300);

        // Nothing in flight: the first request is sent at once, alone. While Redis holds it, the other 69 queue up
        // behind one scheduled send: 32 + 32 + 5 requests, three more script calls.
        var answers = Enumerable.Range(0, 70).Select(i => store.CountAsync(TwoLimits("client-" + i, own, shared), default).AsTask()).ToList();
        Assert.All(answers, answer => Assert.False(answer.IsCompleted));
        var send = Assert.Single(sends);
        send();
        var results = await Task.WhenAll(answers);

        Assert.Equal(4, await _redis.CommandCallsAsync("evalsha") - before);
        // Each request counted once in its own window...
        Assert.All(results, r => Assert.Equal((true, 4L), (r.Decisions[0].Allowed, r.Decisions[0].Remaining)));
        // ...and the shared window saw them one after the other, in the order they arrived: exactly 50 let through.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => 49L - i), results.Take(50).Select(r => r.Decisions[1].Remaining));
        Assert.All(results.Take(50), r => Assert.True(r.Decisions[1].Allowed));
        Assert.All(results.Skip(50), r => Assert.False(r.Decisions[1].Allowed));
    }

    // counters.lua counts a sliding window that later requests of the same call touch again in the script and writes
    // what they added once at the call's end: a window every request of a call shares (a route's) costs one HGET and
    // two HINCRBYs per call, not one HGET and one HINCRBY per request.
    // Puts requests into one call: `held` is sent at once and held by Redis (CLIENT PAUSE) while `queued` wait behind
    // one scheduled send. Returns when `held` is answered, before that send is made (the caller makes it).
    private async Task<(List<Task<CounterResult>> Queued, Action Send)> QueueBehindAHeldCallAsync(RedisGatewayStore store, List<Action> sends, CounterRequest held, IEnumerable<CounterRequest> queued)
    {
        // Redis knows the script after this (a first EVALSHA may be answered NOSCRIPT and retried as EVAL).
        await store.CountAsync(TwoLimits("warm-up", Rule("own", 5), Rule("warm-up", 5)), default);
        await PauseScriptsAsync(300);
        var first = store.CountAsync(held, default).AsTask();
        var rest = queued.Select(request => store.CountAsync(request, default).AsTask()).ToList();
        await first;
        return (rest, Assert.Single(sends));
    }

    [Fact]
    public async Task Count_AWindowSharedByACallsRequests_IsReadAndWrittenOncePerCall()
    {
        var sends = new List<Action>();
        var store = CreateStore(_redis, _prefix, Time, maxRequestsPerCall: 32, schedule: sends.Add);
        var own = Rule("own", 5);
        var shared = Rule("shared", 20);
        var (rest, send) = await QueueBehindAHeldCallAsync(store, sends, TwoLimits("first", own, shared),
            Enumerable.Range(0, 31).Select(i => TwoLimits("client-" + i, own, shared)));
        var (reads, writes) = (await _redis.CommandCallsAsync("hget"), await _redis.CommandCallsAsync("hincrby"));

        send();
        var results = await Task.WhenAll(rest);

        // One call for the 31 queued requests: 31 windows of their own (each read and written once) and the shared one
        // (read and written by the first request, written once more at the end for the other 30).
        Assert.Equal(32, await _redis.CommandCallsAsync("hget") - reads);
        Assert.Equal(33, await _redis.CommandCallsAsync("hincrby") - writes);
        // Counted as if one after the other: 19 of the 31 let through after the first one, every attempt stored.
        Assert.Equal(Enumerable.Range(0, 19).Select(i => 18L - i), results.Take(19).Select(r => r.Decisions[1].Remaining));
        Assert.All(results.Skip(19), r => Assert.False(r.Decisions[1].Allowed));
        var key = new StoreKeys(_prefix).Limit("r:shared", StoreKeys.LimitSuffix(shared));
        var index = Time.GetUtcNow().ToUnixTimeMilliseconds() / 3_600_000;
        Assert.Equal(32, (long)await _redis.Connection.GetDatabase().HashGetAsync(key, index));
        Assert.NotNull(await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(key));
    }

    // Counts, checks and a reset of one window inside one call answer exactly as the same requests one at a time do
    // (the in-memory store is the reference).
    [Fact]
    public async Task Count_CountsChecksAndAResetOfOneWindowInOneCall_AnswerAsOneAtATime()
    {
        var sends = new List<Action>();
        var store = CreateStore(_redis, _prefix, Time, maxRequestsPerCall: 32, schedule: sends.Add);
        var shared = Rule("shared", 3);
        CounterMode[] modes = [CounterMode.Count, CounterMode.Check, CounterMode.Count, CounterMode.Count, CounterMode.Check, CounterMode.Count,
            CounterMode.Reset, CounterMode.Count, CounterMode.Check];
        CounterRequest Request(CounterMode mode)
        {
            var group = new CounterGroup("r:modes");
            group.Limits.Add(new CounterLimit(0, shared, StoreKeys.LimitSuffix(shared), mode));
            return new CounterRequest([group], 1);
        }

        var reference = new InMemoryGatewayStore(Time);
        var expected = new List<(bool, long)>();
        foreach (var mode in modes)
        {
            var d = (await reference.CountAsync(Request(mode), default)).Decisions[0];
            expected.Add((d.Allowed, d.Remaining));
        }

        var (answers, send) = await QueueBehindAHeldCallAsync(store, sends, TwoLimits("held", Rule("own", 5), Rule("warm-up", 5)), modes.Select(Request));
        send();

        Assert.Equal(expected, (await Task.WhenAll(answers)).Select(r => (r.Decisions[0].Allowed, r.Decisions[0].Remaining)));
    }

    [Fact]
    public async Task Count_OneRequestAtATime_IsSentAtOnceWithoutASchedule()
    {
        var sends = new List<Action>();
        var store = CreateStore(_redis, _prefix, Time, schedule: sends.Add);
        var own = Rule("own", 5);
        var shared = Rule("shared", 50);

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await store.CountAsync(TwoLimits("alone", own, shared), default)).Decisions[0].Allowed);
        }

        Assert.Empty(sends);
    }

    [Fact]
    public async Task Count_ManyConcurrentRequestsOnThePool_LetThroughExactlyTheLimit()
    {
        var store = CreateStore(_redis, _prefix, Time, timeoutMs: 5000);
        var own = Rule("own", 1000);
        var shared = Rule("shared", 100);
        await store.CountAsync(TwoLimits("warm-up", own, Rule("warm-up", 5)), default);
        var before = await _redis.CommandCallsAsync("evalsha");

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            Task.Run(async () => await store.CountAsync(TwoLimits("client-" + (i % 7), own, shared), default))));

        Assert.Equal(100, results.Count(r => r.Decisions[1].Allowed));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i).Reverse(), results.Where(r => r.Decisions[1].Allowed).Select(r => r.Decisions[1].Remaining).OrderDescending());
        Assert.InRange(await _redis.CommandCallsAsync("evalsha") - before, 1, 400);
    }

    [Fact]
    public async Task Count_RedisStalls_EveryConcurrentRequestGivesUpAtItsTimeout_ThenCountingResumes()
    {
        var store = CreateStore(_redis, _prefix, Time, timeoutMs: 100);
        var own = Rule("own", 1000);
        var shared = Rule("shared", 1000);
        await PauseScriptsAsync(2000);

        // Queued behind a stalled call or stalled themselves, every request gives up at its 100 ms timeout: one that
        // waited for Redis instead would have been answered once the 2 s stall ended.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CountAsync(TwoLimits("stalled-" + i, own, shared), default);
                return "answered";
            }
            catch (StoreUnavailableException e) when (e.Operation == "count")
            {
                return "gave up";
            }
        })));
        Assert.All(outcomes, outcome => Assert.Equal("gave up", outcome));

        // A write waits out the stall; then the same store answers again (the stalled calls ran when Redis resumed).
        await WaitOutPauseAsync();
        Assert.True((await store.CountAsync(TwoLimits("after-the-stall", own, shared), default)).Decisions[0].Allowed);
    }

    [Fact]
    public async Task Count_ACallThatFails_FailsEveryRequestItCarries_AndTheNextCallWorks()
    {
        var sends = new List<Action>();
        var store = CreateStore(_redis, _prefix, Time, schedule: sends.Add);
        var own = Rule("own", 5);
        var shared = Rule("shared", 50);
        // A sliding window is a hash; a string in its place makes the script fail (WRONGTYPE) for the whole call.
        await _redis.Connection.GetDatabase().StringSetAsync($"{_prefix}:{{i:poisoned}}:{StoreKeys.LimitSuffix(own)}", "not a hash");

        await PauseScriptsAsync(200);
        var first = store.CountAsync(TwoLimits("first", own, shared), default).AsTask();
        var poisoned = store.CountAsync(TwoLimits("poisoned", own, shared), default).AsTask();
        var clean = store.CountAsync(TwoLimits("clean", own, shared), default).AsTask();
        Assert.Single(sends)();
        Assert.True((await first).Decisions[0].Allowed);
        Assert.Equal("count", (await Assert.ThrowsAsync<StoreUnavailableException>(() => poisoned)).Operation);
        Assert.Equal("count", (await Assert.ThrowsAsync<StoreUnavailableException>(() => clean)).Operation);

        // Nothing in flight now: the next request is sent at once and answered.
        Assert.True((await store.CountAsync(TwoLimits("clean", own, shared), default)).Decisions[0].Allowed);
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
            var group = new FraudGateway.State.CounterGroup("i:redis-clock");
            group.Limits.Add(new FraudGateway.State.CounterLimit(0, rule, StoreKeys.LimitSuffix(rule)));
            allowed += (await store.CountAsync(new FraudGateway.State.CounterRequest([group], 1), default)).Decisions[0].Allowed ? 1 : 0;
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

    [Fact]
    public async Task Warm_ReadinessWaitsForIt_AndItLoadsEveryScript()
    {
        var store = CreateStore(_redis, _prefix, Time);
        await _redis.Connection.GetServers()[0].ScriptFlushAsync();

        Assert.False(await store.IsReadyAsync(default));
        await store.WarmAsync(default);

        Assert.True(await store.IsReadyAsync(default));
        foreach (var script in LuaScripts.All)
        {
            Assert.True(await _redis.Connection.GetServers()[0].ScriptExistsAsync(script));
        }

        // The warm-up only reads: it leaves no key behind.
        Assert.Empty(_redis.Connection.GetServers()[0].Keys(pattern: _prefix + ":*"));
    }

    // Held 600 ms by Redis: within a 2 s warm-up timeout, past the 50 ms operation timeout.
    [Fact]
    public async Task Count_TheFirstOperationsGetTheWarmupTimeout_ThenTheOperationTimeout()
    {
        var store = CreateStore(_redis, _prefix, Time, timeoutMs: 50, warmupRequests: 1, warmupTimeoutMs: 2000);
        var own = Rule("own", 1000);
        var shared = Rule("shared", 1000);
        await store.WarmAsync(default);

        await PauseScriptsAsync(600);
        Assert.True((await store.CountAsync(TwoLimits("first", own, shared), default)).Decisions[0].Allowed);

        await PauseScriptsAsync(600);
        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CountAsync(TwoLimits("second", own, shared), default));
        Assert.Equal("count", failure.Operation);
        await WaitOutPauseAsync();
    }

    [Fact]
    public async Task Count_TheWarmupTimeoutEndsWithItsPeriod_OnTheGatewayClock()
    {
        var store = CreateStore(_redis, _prefix, Time, timeoutMs: 50, warmupRequests: 1000, warmupTimeoutMs: 2000);
        await store.WarmAsync(default);
        Time.Advance(TimeSpan.FromSeconds(61));

        await PauseScriptsAsync(600);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CountAsync(TwoLimits("late", Rule("own", 1000), Rule("shared", 1000)), default));
        await WaitOutPauseAsync();
    }

    // A store that fails is not cold: after one failure, a 300 ms stall (within the 500 ms warm-up timeout) fails the
    // next operation at 50 ms.
    [Fact]
    public async Task Count_AFailureEndsTheWarmupTimeout()
    {
        var store = CreateStore(_redis, _prefix, Time, timeoutMs: 50, warmupRequests: 1000, warmupTimeoutMs: 500);
        var own = Rule("own", 1000);
        var shared = Rule("shared", 1000);
        await store.WarmAsync(default);

        await PauseScriptsAsync(900);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CountAsync(TwoLimits("during", own, shared), default));
        await WaitOutPauseAsync();

        await PauseScriptsAsync(300);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CountAsync(TwoLimits("after", own, shared), default));
        await WaitOutPauseAsync();
    }
}
