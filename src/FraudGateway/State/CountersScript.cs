using FraudGateway.RateLimiting;
using StackExchange.Redis;

namespace FraudGateway.State;

// The wire layout of Scripts/counters.lua, in one place: what one limit sends (ARGV) and gets back (its part of the
// reply), and the codes of algorithms and modes. The script's header describes the same layout and points here.
//
//   call ARGV:     now ms (0 = the server's TIME), number of requests, number of ban keys; then per request:
//                  its ban key count, its limit count, then ArgsPerLimit values per limit (see WriteLimit)
//   call KEYS:     every request's ban keys, then per limit: state key, penalty key (only with a penalty), two
//                  HyperLogLogs (only Distinct)
//   reply:         now ms; per request: its first ban value found (or nil), then ReplyPerLimit values per limit
internal static class CountersScript
{
    public const int ArgsPerLimit = 7;

    public const int ReplyPerLimit = 4;

    // ARGV of a call before the first request's.
    public const int CallHeaderArgs = 3;

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

    // algorithm, limit, window ms, burst, penalty ms, member (or ""), mode.
    public static void WriteLimit(in CounterLimit limit, RedisValue[] into, ref int at)
    {
        var rule = limit.Rule;
        into[at++] = rule.Algorithm == RateLimitAlgorithm.SlidingWindow ? SlidingWindow : TokenBucket;
        into[at++] = limit.EffectiveLimit;
        into[at++] = rule.WindowMs;
        into[at++] = rule.Burst;
        into[at++] = rule.PenaltyMs;
        into[at++] = limit.Member ?? "";
        into[at++] = ModeCodes[(int)ModeOf(limit)];
    }

    // allowed (1/0), remaining, reset ms, retry-after ms.
    public static RateLimitDecision ReadDecision(RedisResult[] reply, ref int at)
    {
        var decision = new RateLimitDecision((long)reply[at] == 1, (long)reply[at + 1], (long)reply[at + 2], (long)reply[at + 3]);
        at += ReplyPerLimit;
        return decision;
    }

    // A request's ARGV length for this many limits, and its part of the reply (its ban value, then its limits').
    public static int RequestArgs(int limits) => RequestHeaderArgs + (limits * ArgsPerLimit);

    public static int RequestReply(int limits) => 1 + (limits * ReplyPerLimit);
}
