using FraudGateway.RateLimiting;
using FraudGateway.State;
using StackExchange.Redis;

namespace FraudGateway.Tests.State;

// counters.lua's ARGV as CountersScript writes it: the call's rules once each, then per request its limits by rule
// number. The script's answers on a real Redis are held to the in-memory store's by the store contract tests.
public class CountersScriptTests
{
    private static RateLimitRule Rule(string name, string? counts = null, int windowSeconds = 60, int penaltySeconds = 0)
    {
        var errors = new List<string>();
        var rules = RateLimitRuleParser.Parse("login", [new RateLimitOptions { Name = name, Key = "ip", Limit = 5, WindowSeconds = windowSeconds, Counts = Enum.Parse<RateLimitCounts>(counts ?? "Requests"), PenaltySeconds = penaltySeconds, ResetOnSuccess = counts == "Failures" }],
            "P:RateLimits", errors, hasAccountField: true, hasLoginOutcome: true);
        Assert.Empty(errors);
        return rules[0];
    }

    private static CounterLimit Limit(RateLimitRule rule, CounterMode mode = CounterMode.Count, string? member = null) =>
        new(0, rule, StoreKeys.LimitSuffix(rule), mode, member);

    private static CounterSection Section(int bans, params CounterLimit[] limits) =>
        new(new RedisKey[bans], new RedisKey[limits.Sum(l => CountersScript.KeysOf(l))], limits);

    private static string[] Args(params CounterSection[] sections) =>
        CountersScript.CallArgs(0, sections.Sum(s => s.BanKeys.Length), sections, 0, sections.Length).Select(v => v.ToString()).ToArray();

    [Fact]
    public void A_distinct_limit_sends_its_rule_once_and_its_member_after_its_mode()
    {
        var limit = Limit(Rule("accounts-per-ip", counts: "DistinctAccounts"), member: "member");

        Assert.Equal(["0", "1", "0", "1", "s", "5", "60000", "5", "0", "0", "1", "1", "d", "member"], Args(Section(0, limit)));
    }

    [Fact]
    public void Requests_of_one_call_that_share_rules_send_each_rule_once()
    {
        var minute = Rule("ip-minute");
        var hour = Rule("ip-hour", windowSeconds: 3600, penaltySeconds: 300);

        var args = Args(Section(1, Limit(minute), Limit(hour)), Section(1, Limit(minute), Limit(hour)), Section(0, Limit(hour, CounterMode.Check)));

        Assert.Equal(
            ["0", "3", "2", "2",
             "s", "5", "60000", "5", "0",
             "s", "5", "3600000", "5", "300000",
             "1", "2", "1", "c", "2", "c",
             "1", "2", "1", "c", "2", "c",
             "0", "1", "2", "k"],
            args);
    }

    // A rule is its constants: two rules with the same ones share a number; a failure limit counted (against its limit
    // minus one, so the failure that reaches the limit starts the penalty) is not the same rule as when it is checked.
    [Fact]
    public void Rules_are_told_apart_by_their_constants()
    {
        var failures = Rule("ip-failures", counts: "Failures", penaltySeconds: 60);
        var args = Args(
            Section(0, Limit(Rule("ip-minute")), Limit(Rule("prefix-minute"))),
            Section(0, Limit(failures, CounterMode.Check), Limit(failures, CounterMode.Count), Limit(failures, CounterMode.Reset)));

        Assert.Equal("3", args[3]);
        Assert.Equal(["s", "5", "60000", "5", "0", "s", "5", "60000", "5", "60000", "s", "4", "60000", "5", "60000"], args[4..19]);
        Assert.Equal(["0", "2", "1", "c", "1", "c", "0", "3", "2", "k", "3", "f", "2", "r"], args[19..]);
    }
}
