using FraudGateway.RateLimiting;
using StackExchange.Redis;

namespace FraudGateway.State;

// The wire layout of Scripts/counters.lua, in one place: what a call sends (ARGV) and gets back (each limit's part of
// the reply), and the codes of algorithms and modes. The script's header describes the same layout and points here.
//
//   call ARGV:     now ms (0 = the server's TIME), number of requests, number of ban keys, number of rules; then
//                  ArgsPerRule constants per rule (see WriteRule); then per request: its ban key count, its limit
//                  count, then per limit its rule's number and its mode, and for a distinct count its member
//   call KEYS:     every request's ban keys, then per limit: state key, penalty key (only with a penalty), two
//                  HyperLogLogs (only Distinct)
//   reply:         now ms; per request: its first ban value found (or nil), then ReplyPerLimit values per limit
//
// A rule's constants go once per call, however many of the call's requests use it: sent per limit they were five of
// its seven values, and redis-server turns every value into a Lua string (docs/performance.md, "Design figures"). The login
// policy's nine limits send 19 values per request
// instead of 63, plus the call's rules once.
internal static class CountersScript
{
    public const int ArgsPerRule = 5;

    public const int ReplyPerLimit = 4;

    // ARGV of a call before its first rule's.
    public const int CallHeaderArgs = 4;

    // ARGV of a request before its first limit's: ban key count, limit count.
    public const int RequestHeaderArgs = 2;

    private static readonly RedisValue SlidingWindow = "s", TokenBucket = "t";

    // Mode codes as the script reads them, indexed by ScriptMode.
    private static readonly RedisValue[] ModeCodes = ["c", "k", "r", "f", "d"];

    // What the script does with a limit. Count / Check / Reset come from the request (CounterMode); a counted
    // failure limit and a distinct limit have their own arithmetic.
    public enum ScriptMode
    {
        Count = 0,
        Check = 1,
        Reset = 2,
        Failure = 3,
        Distinct = 4,
    }

    public static ScriptMode ModeOf(in CounterLimit limit) => limit.Mode switch
    {
        CounterMode.Check => ScriptMode.Check,
        CounterMode.Reset => ScriptMode.Reset,
        _ => limit.Rule.CountsFailures ? ScriptMode.Failure : limit.CountsDistinct ? ScriptMode.Distinct : ScriptMode.Count,
    };

    // Keys one limit takes: its state, its penalty key only when its rule has a penalty (a limit without one never
    // reads or writes it: one key fewer to build, send and turn into a Lua string), and for distinct limits two
    // HyperLogLogs.
    public static int KeysOf(in CounterLimit limit) => 1 + (limit.Rule.PenaltyMs > 0 ? 1 : 0) + (limit.CountsDistinct ? 2 : 0);

    public static void WriteKeys(StoreKeys keys, string tag, in CounterLimit limit, RedisKey[] into, ref int at)
    {
        var state = keys.Limit(tag, limit.KeySuffix);
        into[at++] = state;
        if (limit.Rule.PenaltyMs > 0)
        {
            into[at++] = StoreKeys.Penalty(state);
        }

        if (limit.CountsDistinct)
        {
            into[at++] = StoreKeys.DistinctHalf(state, 0);
            into[at++] = StoreKeys.DistinctHalf(state, 1);
        }
    }

    // What a limit's arithmetic needs from its rule: equal constants are one rule of the call.
    public readonly record struct RuleConstants(RateLimitAlgorithm Algorithm, long Limit, long WindowMs, long Burst, long PenaltyMs)
    {
        public static RuleConstants Of(in CounterLimit limit) =>
            new(limit.Rule.Algorithm, limit.EffectiveLimit, limit.Rule.WindowMs, limit.Rule.Burst, limit.Rule.PenaltyMs);
    }

    // algorithm, limit, window ms, burst, penalty ms.
    public static void WriteRule(in RuleConstants rule, RedisValue[] into, ref int at)
    {
        into[at++] = rule.Algorithm == RateLimitAlgorithm.SlidingWindow ? SlidingWindow : TokenBucket;
        into[at++] = rule.Limit;
        into[at++] = rule.WindowMs;
        into[at++] = rule.Burst;
        into[at++] = rule.PenaltyMs;
    }

    // A limit's values after its rule's number: its mode, and for a distinct count its member.
    public static int LimitArgs(in CounterLimit limit) => ModeOf(limit) == ScriptMode.Distinct ? 3 : 2;

    // rule number (1-based, in the call's rules), mode, member (distinct counts only).
    public static void WriteLimit(in CounterLimit limit, int ruleNumber, RedisValue[] into, ref int at)
    {
        var mode = ModeOf(limit);
        into[at++] = ruleNumber;
        into[at++] = ModeCodes[(int)mode];
        if (mode == ScriptMode.Distinct)
        {
            into[at++] = limit.Member ?? "";
        }
    }

    // ARGV of a call for sections[first..first+count): the header, the rules its limits use (each once, in order of
    // first use), then each section's limits.
    public static RedisValue[] CallArgs(RedisValue now, int banKeys, IReadOnlyList<CounterSection> sections, int first, int count)
    {
        // A call holds few distinct rules (a policy has at most RateLimitRuleParser.MaxRulesPerPolicy, and its
        // previous-key shadows reuse them): they are looked up in a list, with no dictionary made per call, once per
        // limit; each limit's rule number is kept for the second pass.
        var rules = new List<RuleConstants>(RateLimitRuleParser.MaxRulesPerPolicy);
        var limits = 0;
        for (var s = first; s < first + count; s++)
        {
            limits += sections[s].Limits.Length;
        }

        Span<int> numbers = limits <= 512 ? stackalloc int[limits] : new int[limits];
        int requestArgs = 0, l = 0;
        for (var s = first; s < first + count; s++)
        {
            requestArgs += RequestHeaderArgs;
            foreach (var limit in sections[s].Limits)
            {
                requestArgs += LimitArgs(limit);
                var rule = RuleConstants.Of(limit);
                var number = rules.IndexOf(rule);
                if (number < 0)
                {
                    number = rules.Count;
                    rules.Add(rule);
                }

                numbers[l++] = number + 1;
            }
        }

        var args = new RedisValue[CallHeaderArgs + (rules.Count * ArgsPerRule) + requestArgs];
        args[0] = now;
        args[1] = count;
        args[2] = banKeys;
        args[3] = rules.Count;
        var a = CallHeaderArgs;
        foreach (var rule in rules)
        {
            WriteRule(rule, args, ref a);
        }

        l = 0;
        for (var s = first; s < first + count; s++)
        {
            var section = sections[s];
            args[a++] = section.BanKeys.Length;
            args[a++] = section.Limits.Length;
            foreach (var limit in section.Limits)
            {
                WriteLimit(limit, numbers[l++], args, ref a);
            }
        }

        return args;
    }

    // allowed (1/0), remaining, reset ms, retry-after ms.
    public static RateLimitDecision ReadDecision(RedisResult[] reply, ref int at)
    {
        var decision = new RateLimitDecision((long)reply[at] == 1, (long)reply[at + 1], (long)reply[at + 2], (long)reply[at + 3]);
        at += ReplyPerLimit;
        return decision;
    }

    // A request's part of the reply: its ban value, then its limits'.
    public static int RequestReply(int limits) => 1 + (limits * ReplyPerLimit);
}
