using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Tests.State;

// The rate-limit half of the store contract: GatewayStoreContractTests runs these for every store.
public abstract partial class GatewayStoreContractTests
{
    protected static RateLimitRule Rule(string name, int limit, int windowSeconds, string algorithm = "SlidingWindow", int? burst = null, int penaltySeconds = 0, bool failures = false)
    {
        var errors = new List<string>();
        var rules = RateLimitRuleParser.Parse("contract", [new RateLimitOptions
        {
            Name = name, Key = "ip", Limit = limit, WindowSeconds = windowSeconds, Algorithm = algorithm, Burst = burst, PenaltySeconds = penaltySeconds,
            Counts = failures ? RateLimitCounts.Failures : RateLimitCounts.Requests, ResetOnSuccess = failures,
        }], "test", errors, hasLoginOutcome: true);
        Assert.Empty(errors);
        return rules[0];
    }

    private Task<CounterResult> CountAsync(string tag, params RateLimitRule[] rules) => CountAsync(tag, CounterMode.Count, rules);

    protected Task<CounterResult> CountAsync(string tag, CounterMode mode, params RateLimitRule[] rules)
    {
        var group = new CounterGroup(tag);
        for (var i = 0; i < rules.Length; i++)
        {
            group.Limits.Add(new CounterLimit(i, rules[i], StoreKeys.LimitSuffix(rules[i]), mode));
        }

        return Store.CountAsync(new CounterRequest([group], rules.Length), default).AsTask();
    }

    private async Task<int> AllowedOf(int attempts, string tag, RateLimitRule rule)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            allowed += (await CountAsync(tag, rule)).Decisions[0].Allowed ? 1 : 0;
        }

        return allowed;
    }

    protected void AlignToWindowStart(long windowMs)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        Time.Advance(TimeSpan.FromMilliseconds(windowMs - (now % windowMs)));
    }

    // Erasure: the subject's ban, its own limit and a limit on a combination it is a later part of (under another
    // subject's tag) go; another subject's state stays; erasing again removes nothing; every instance hears of it.
    [Fact]
    public async Task EraseSubject_RemovesItsBanAndEveryLimitNamingIt()
    {
        var erased = Address("192.0.2.7");
        var other = Address("192.0.2.8");
        var rule = Rule("sw", 2, 60);
        var suffix = StoreKeys.LimitSuffix(rule);
        await Store.AddBanAsync(Ban(erased, TimeSpan.FromMinutes(5)), default);
        await Store.AddBanAsync(Ban(other, TimeSpan.FromMinutes(5)), default);
        var own = new CounterGroup(erased.Token);
        own.Limits.Add(new CounterLimit(0, rule, suffix));
        var combined = new CounterGroup(other.Token);
        combined.Limits.Add(new CounterLimit(1, rule, StoreKeys.WithCombination(suffix, [erased.Token])));
        for (var i = 0; i < 2; i++)
        {
            await Store.CountAsync(new CounterRequest([own, combined], 2), default);
        }

        await CountAsync(other.Token, rule);
        await CountAsync(other.Token, rule);
        var heard = new List<string>();
        Store.SubjectErased += heard.Add;

        Assert.True(await Store.EraseSubjectAsync(erased.Id, default) >= 3);
        await Store.AnnounceErasureAsync(erased.Id, default);

        Assert.Null(await Store.FindBanAsync(erased, Prefix("192.0.2.0/24"), default));
        Assert.NotNull(await Store.FindBanAsync(other, Prefix("192.0.2.0/24"), default));
        Assert.DoesNotContain(await Store.ListBansAsync(default), b => b.Subject == erased);
        var after = await Store.CountAsync(new CounterRequest([own, combined], 2), default);
        Assert.Equal([1L, 1L], after.Decisions.Select(d => d.Remaining));
        Assert.False((await CountAsync(other.Token, rule)).Decisions[0].Allowed);
        Assert.Equal(0, await Store.EraseSubjectAsync(other.Id + "0", default));
        Assert.Contains(erased.Id, heard);
    }

    [Fact]
    public async Task Count_SlidingWindow_AllowsExactlyTheLimitThenRefuses()
    {
        var rule = Rule("sw", 5, 60);
        AlignToWindowStart(60_000);

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 7; i++)
        {
            decisions.Add((await CountAsync("i:a", rule)).Decisions[0]);
        }

        Assert.Equal([true, true, true, true, true, false, false], decisions.Select(d => d.Allowed));
        Assert.Equal([4L, 3, 2, 1, 0, 0, 0], decisions.Select(d => d.Remaining));
        Assert.All(decisions.Skip(5), d => Assert.True(d.RetryAfterMs > 0));
    }

    [Fact]
    public async Task Count_SlidingWindow_NoDoubleBurstAcrossTheWindowEdge()
    {
        var rule = Rule("edge", 10, 60);
        AlignToWindowStart(60_000);
        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(10, await AllowedOf(10, "i:b", rule));

        // 2 s later a fixed window would allow 10 more; the sliding window still sees ~9.7 of the last minute.
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await AllowedOf(10, "i:b", rule));
    }

    [Fact]
    public async Task Count_SlidingWindow_EveryAttemptCountsSoAFloodStaysRefused()
    {
        var rule = Rule("flood", 5, 60);
        AlignToWindowStart(60_000);
        Assert.Equal(5, await AllowedOf(50, "i:c", rule));

        // Half a window later a client that had stopped at 5 would get room again; this one sent 50.
        Time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await AllowedOf(1, "i:c", rule));
    }

    [Fact]
    public async Task Count_SlidingWindow_RetryAfterIsWhenTheNextAttemptPasses()
    {
        var rule = Rule("retry", 3, 60);
        AlignToWindowStart(60_000);
        Time.Advance(TimeSpan.FromSeconds(20));
        await AllowedOf(3, "i:d", rule);
        var refused = (await CountAsync("i:d", rule)).Decisions[0];
        Assert.False(refused.Allowed);

        Time.Advance(TimeSpan.FromMilliseconds(refused.RetryAfterMs));

        Assert.True((await CountAsync("i:d", rule)).Decisions[0].Allowed);
    }

    [Fact]
    public async Task Count_TokenBucket_BurstThenSteadyRate()
    {
        var rule = Rule("tb", 60, 60, "TokenBucket", burst: 5);

        Assert.Equal(5, await AllowedOf(8, "i:e", rule));
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await AllowedOf(5, "i:e", rule));
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(5, await AllowedOf(8, "i:e", rule));
    }

    [Fact]
    public async Task Count_TokenBucket_RefusalReportsWhenTheNextTokenComes()
    {
        var rule = Rule("tb-retry", 10, 60, "TokenBucket", burst: 1);

        Assert.True((await CountAsync("i:f", rule)).Decisions[0].Allowed);
        var refused = (await CountAsync("i:f", rule)).Decisions[0];

        Assert.False(refused.Allowed);
        Assert.Equal(6000, refused.RetryAfterMs);
    }

    [Fact]
    public async Task Count_Penalty_RefusesForThePenaltyEvenWhenTheWindowWouldAllow()
    {
        var rule = Rule("penalty", 2, 10, penaltySeconds: 300);
        AlignToWindowStart(10_000);
        Assert.Equal(2, await AllowedOf(3, "i:g", rule));

        Time.Advance(TimeSpan.FromSeconds(60));
        var boxed = (await CountAsync("i:g", rule)).Decisions[0];
        Assert.False(boxed.Allowed);
        Assert.InRange(boxed.RetryAfterMs, 239_000, 240_000);

        Time.Advance(TimeSpan.FromSeconds(241));
        Assert.True((await CountAsync("i:g", rule)).Decisions[0].Allowed);
    }

    [Fact]
    public async Task Count_SeveralLimitsInOneGroup_EachDecidesAndAllCount()
    {
        var minute = Rule("m", 2, 60);
        var hour = Rule("h", 3, 3600);
        AlignToWindowStart(3_600_000);

        var first = await CountAsync("i:h", minute, hour);
        var second = await CountAsync("i:h", minute, hour);
        var third = await CountAsync("i:h", minute, hour);

        Assert.True(first.Decisions.All(d => d.Allowed));
        Assert.True(second.Decisions.All(d => d.Allowed));
        Assert.False(third.Decisions[0].Allowed);
        // Refused by the minute limit, the attempt still counted in the hour limit.
        Assert.Equal(0, third.Decisions[1].Remaining);
    }

    [Fact]
    public async Task Count_DifferentTags_AreIndependent()
    {
        var rule = Rule("indep", 1, 60);
        AlignToWindowStart(60_000);

        Assert.True((await CountAsync("i:x1", rule)).Decisions[0].Allowed);
        Assert.True((await CountAsync("i:x2", rule)).Decisions[0].Allowed);
        Assert.False((await CountAsync("i:x1", rule)).Decisions[0].Allowed);
    }

    [Fact]
    public async Task Count_GroupWithBanFlag_ReturnsTheLiveBan()
    {
        var subject = Address("192.0.2.200");
        await Store.AddBanAsync(new BanRecord(subject, "t", Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(1)), default);
        var request = new CounterRequest([new CounterGroup(subject.Token) { Ban = subject }, new CounterGroup(Prefix("192.0.2.0/24").Token) { Ban = Prefix("192.0.2.0/24") }], 0);

        var banned = await Store.CountAsync(request, default);
        Time.Advance(TimeSpan.FromMinutes(2));
        var expired = await Store.CountAsync(request, default);

        Assert.Equal(subject, banned.Ban?.Subject);
        Assert.Null(expired.Ban);
    }

    [Fact]
    public async Task Check_NeverWritesAnything()
    {
        var rule = Rule("check", 2, 60);
        AlignToWindowStart(60_000);

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await CountAsync("i:k", CounterMode.Check, rule)).Decisions[0].Allowed);
        }

        Assert.Equal(2, await AllowedOf(3, "i:k", rule));
    }

    // A check on a key the store does not hold answers as a fresh key would, for every algorithm, and keeps nothing:
    // many checks in a row (the in-memory store answers them all from one shared empty state) leave no trace on the
    // next check or on the first count.
    [Fact]
    public async Task CheckOnAnAbsentKey_AnswersAsFresh_AndWritesNothing()
    {
        var window = Rule("check-sw", 1, 60, penaltySeconds: 600);
        var bucket = Rule("check-tb", 1, 60, algorithm: "TokenBucket", burst: 1, penaltySeconds: 600);
        var failures = Rule("check-f", 2, 3600, penaltySeconds: 600, failures: true);
        AlignToWindowStart(3_600_000);

        for (var i = 0; i < 20; i++)
        {
            var checkedNow = await CountAsync($"i:absent{i}", CounterMode.Check, window, bucket, failures);
            Assert.All(checkedNow.Decisions, d => Assert.True(d.Allowed));
            Assert.Equal(0, checkedNow.Decisions[0].Remaining);
            Assert.Equal(0, checkedNow.Decisions[1].Remaining);
            Assert.Equal(1, checkedNow.Decisions[2].Remaining);
        }

        // Each of the three allows its one request (the failure limit is only counted here, one of two), as if never
        // checked; the second request over the first two limits is refused and starts their penalty.
        Assert.All((await CountAsync("i:absent0", window, bucket, failures)).Decisions, d => Assert.True(d.Allowed));
        var second = await CountAsync("i:absent0", window, bucket);
        Assert.False(second.Decisions[0].Allowed);
        Assert.False(second.Decisions[1].Allowed);
        Assert.True((await CountAsync("i:absent1", CounterMode.Check, window, bucket)).Decisions.All(d => d.Allowed));
    }

    [Fact]
    public async Task FailureLimit_RefusesOnceLimitFailuresAreCounted_ForThePenaltyOnly()
    {
        var rule = Rule("fail", 3, 3600, penaltySeconds: 600, failures: true);
        AlignToWindowStart(3_600_000);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await CountAsync("a:x", CounterMode.Check, rule)).Decisions[0].Allowed, $"check before failure {i + 1}");
            await CountAsync("a:x", CounterMode.Count, rule);
        }

        var locked = (await CountAsync("a:x", CounterMode.Check, rule)).Decisions[0];
        Assert.False(locked.Allowed);
        Assert.Equal(600_000, locked.RetryAfterMs);

        // The penalty, not the hour-long window, decides how long the lockout lasts.
        Time.Advance(TimeSpan.FromSeconds(601));
        Assert.True((await CountAsync("a:x", CounterMode.Check, rule)).Decisions[0].Allowed);
    }

    [Fact]
    public async Task Reset_ClearsTheWindowAndThePenalty()
    {
        var rule = Rule("reset", 1, 3600, penaltySeconds: 600);
        AlignToWindowStart(3_600_000);
        await AllowedOf(3, "i:r", rule);
        Assert.False((await CountAsync("i:r", CounterMode.Check, rule)).Decisions[0].Allowed);

        await CountAsync("i:r", CounterMode.Reset, rule);

        Assert.True((await CountAsync("i:r", CounterMode.Check, rule)).Decisions[0].Allowed);
        Assert.Equal(1, await AllowedOf(2, "i:r", rule));
    }

    [Fact]
    public async Task Distinct_CountsDistinctMembersOverThisWindowAndThePrevious()
    {
        var errors = new List<string>();
        var rule = RateLimitRuleParser.Parse("contract", [new RateLimitOptions
        {
            Name = "distinct", Key = "ip", Limit = 3, WindowSeconds = 60, Counts = RateLimitCounts.DistinctAccounts,
        }], "test", errors, hasAccountField: true)[0];
        Assert.Empty(errors);
        AlignToWindowStart(60_000);

        async Task<RateLimitDecision> Add(string member)
        {
            var group = new CounterGroup("i:distinct");
            group.Limits.Add(new CounterLimit(0, rule, StoreKeys.LimitSuffix(rule), CounterMode.Count, member));
            return (await Store.CountAsync(new CounterRequest([group], 1), default)).Decisions[0];
        }

        var allowed = new List<bool>();
        foreach (var member in new[] { "a", "b", "a", "c" })
        {
            allowed.Add((await Add(member)).Allowed);
        }

        Assert.Equal([true, true, true, true], allowed);
        var fourth = await Add("d");
        Assert.False(fourth.Allowed);
        Assert.Equal(120_000, fourth.RetryAfterMs);

        // Next window: the previous window's four still count.
        Time.Advance(TimeSpan.FromSeconds(60));
        Assert.False((await Add("e")).Allowed);

        // Two windows on: a fresh start.
        Time.Advance(TimeSpan.FromSeconds(120));
        Assert.True((await Add("f")).Allowed);
        Assert.Equal(2, (await Add("g")).Remaining + 1);
    }
}
