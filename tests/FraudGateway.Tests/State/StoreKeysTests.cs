using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Tests.State;

// Every kind of key the store holds, with its format: StoreKeys is the only place that makes them.
public class StoreKeysTests
{
    private const string Hmac = "0123456789abcdef0123456789abcdef";
    private static readonly StoreKeys Keys = new("fg");

    private static RateLimitRule Rule(string name, string key = "ip", string algorithm = "SlidingWindow", string? counts = null, int penaltySeconds = 0)
    {
        var errors = new List<string>();
        var rules = RateLimitRuleParser.Parse("login", [new RateLimitOptions { Name = name, Key = key, Limit = 5, WindowSeconds = 60, Algorithm = algorithm, Counts = Enum.Parse<RateLimitCounts>(counts ?? "Requests"), PenaltySeconds = penaltySeconds }],
            "P:RateLimits", errors, hasAccountField: true, hasLoginOutcome: true);
        Assert.Empty(errors);
        return rules[0];
    }

    [Fact]
    public void Every_key_kind_has_its_documented_format()
    {
        var address = new BanSubject(BanSubjectKind.Address, Hmac);
        var prefix = new BanSubject(BanSubjectKind.Prefix, Hmac);
        var limit = Keys.Limit(address.Token, StoreKeys.LimitSuffix(Rule("ip-minute")));

        var kinds = new Dictionary<string, string>
        {
            ["address ban"] = Keys.Ban(address)!,
            ["prefix ban"] = Keys.Ban(prefix)!,
            ["ban index"] = Keys.BanIndex!,
            ["single-use claim"] = Keys.Claim("abc")!,
            ["sliding window"] = limit,
            ["token bucket on a route"] = Keys.Limit(StoreKeys.RouteTag(Hmac), StoreKeys.LimitSuffix(Rule("route-minute", "route", "TokenBucket"))),
            ["failure window on an account"] = Keys.Limit(StoreKeys.AccountTag(Hmac), StoreKeys.LimitSuffix(Rule("account-failures", "account", counts: "Failures"))),
            ["distinct accounts per address"] = Keys.Limit(address.Token, StoreKeys.LimitSuffix(Rule("accounts-per-ip", counts: "DistinctAccounts"))),
            ["limit on ip+header"] = Keys.Limit(address.Token, StoreKeys.WithCombination(StoreKeys.LimitSuffix(Rule("ip-client", "ip+header:X-Client")), [StoreKeys.HeaderTag(Hmac)])),
            ["message window"] = Keys.Limit(StoreKeys.MessageTag(Hmac), "rl:contact:same-message:s"),
            ["header window"] = Keys.Limit(StoreKeys.HeaderTag(Hmac), "rl:login:by-client:s"),
            ["penalty"] = StoreKeys.Penalty(limit),
            ["distinct half 0"] = StoreKeys.DistinctHalf(limit, 0),
            ["distinct half 1"] = StoreKeys.DistinctHalf(limit, 1),
            ["in-process limit"] = StoreKeys.LocalLimit(address.Token, "rl:login:ip-minute:s"),
        };

        Assert.Equal(new Dictionary<string, string>
        {
            ["address ban"] = $"fg:{{i:{Hmac}}}:ban",
            ["prefix ban"] = $"fg:{{p:{Hmac}}}:ban",
            ["ban index"] = "fg:{bans}:index",
            ["single-use claim"] = "fg:{u:abc}:claim",
            ["sliding window"] = $"fg:{{i:{Hmac}}}:rl:login:ip-minute:s",
            ["token bucket on a route"] = $"fg:{{r:{Hmac}}}:rl:login:route-minute:t",
            ["failure window on an account"] = $"fg:{{a:{Hmac}}}:rl:login:account-failures:sf",
            ["distinct accounts per address"] = $"fg:{{i:{Hmac}}}:rl:login:accounts-per-ip:sda",
            ["limit on ip+header"] = $"fg:{{i:{Hmac}}}:rl:login:ip-client:s:h:{Hmac}",
            ["message window"] = $"fg:{{m:{Hmac}}}:rl:contact:same-message:s",
            ["header window"] = $"fg:{{h:{Hmac}}}:rl:login:by-client:s",
            ["penalty"] = $"fg:{{i:{Hmac}}}:rl:login:ip-minute:s:p",
            ["distinct half 0"] = $"fg:{{i:{Hmac}}}:rl:login:ip-minute:s:h0",
            ["distinct half 1"] = $"fg:{{i:{Hmac}}}:rl:login:ip-minute:s:h1",
            ["in-process limit"] = $"i:{Hmac}|rl:login:ip-minute:s",
        }, kinds);
    }

    // The pair the in-process structures key limits by reads as the in-process limit key and names the same subjects.
    [Fact]
    public void A_local_limit_key_is_the_in_process_key_as_a_pair()
    {
        var other = "fedcba9876543210fedcba9876543210";
        var onAddress = new LocalLimitKey("i:" + Hmac, "rl:login:ip-minute:s");
        var onPair = new LocalLimitKey("a:" + other, "rl:login:pair:sf:i:" + Hmac);

        Assert.Equal(StoreKeys.LocalLimit("i:" + Hmac, "rl:login:ip-minute:s"), onAddress.ToString());
        Assert.Equal(new LocalLimitKey("i:" + Hmac, "rl:login:ip-minute:s"), onAddress);
        Assert.NotEqual(new LocalLimitKey("i:" + Hmac + "|rl:login", "ip-minute:s"), onAddress);
        Assert.True(onAddress.Names(Hmac));
        Assert.True(onPair.Names(Hmac));
        Assert.True(onPair.Names(other));
        Assert.False(onAddress.Names(other));
        // A lift announced by another instance arrives as the string form.
        Assert.Equal(onPair, LocalLimitKey.Parse(onPair.ToString()));
        Assert.Equal(onAddress, LocalLimitKey.Parse(StoreKeys.LocalLimit("i:" + Hmac, "rl:login:ip-minute:s")));
    }

    [Fact]
    public void Subject_tags_parse_back_and_refuse_anything_else()
    {
        Assert.True(StoreKeys.TryParseSubjectTag("p:" + Hmac.ToUpperInvariant(), out var kind, out var id));
        Assert.Equal((BanSubjectKind.Prefix, Hmac), (kind, id));
        Assert.False(StoreKeys.TryParseSubjectTag("r:" + Hmac, out _, out _));
        Assert.False(StoreKeys.TryParseSubjectTag("i:" + Hmac[..31] + "g", out _, out _));
        Assert.False(StoreKeys.TryParseSubjectTag("i:" + Hmac + "0", out _, out _));
    }

    // One limit's keys: what counters.lua reads (CountersScript owns the layout; its ARGV: CountersScriptTests).
    // Without a penalty no penalty key is sent: state and the two HyperLogLogs.
    [Fact]
    public void A_distinct_limit_without_a_penalty_sends_three_keys()
    {
        var rule = Rule("accounts-per-ip", counts: "DistinctAccounts");
        var limit = new CounterLimit(0, rule, StoreKeys.LimitSuffix(rule), CounterMode.Count, "member");
        var keys = new StackExchange.Redis.RedisKey[CountersScript.KeysOf(limit)];
        var k = 0;
        CountersScript.WriteKeys(Keys, "i:" + Hmac, limit, keys, ref k);
        Assert.Equal(3, k);
        Assert.EndsWith(":h0", keys[1].ToString());
        Assert.EndsWith(":h1", keys[2].ToString());
        Assert.Equal(CountersScript.ScriptMode.Check, CountersScript.ModeOf(limit with { Mode = CounterMode.Check }));
        Assert.Equal(1, CountersScript.KeysOf(limit with { Mode = CounterMode.Reset }));
    }

    [Fact]
    public void A_limit_with_a_penalty_sends_its_penalty_key_after_its_state()
    {
        var rule = Rule("ip-minute", penaltySeconds: 300);
        var limit = new CounterLimit(0, rule, StoreKeys.LimitSuffix(rule));
        var keys = new StackExchange.Redis.RedisKey[CountersScript.KeysOf(limit)];
        var k = 0;
        CountersScript.WriteKeys(Keys, "i:" + Hmac, limit, keys, ref k);
        Assert.Equal(2, k);
        Assert.Equal(keys[0].ToString() + ":p", keys[1].ToString());
    }
}
