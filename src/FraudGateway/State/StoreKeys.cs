using System.Runtime.CompilerServices;
using FraudGateway.RateLimiting;
using StackExchange.Redis;

namespace FraudGateway.State;

// Every key the gateway's store holds, and every part of one: the only place that knows their formats
// (StoreKeysTests lists each kind). A Redis key is "<prefix>:{<tag>}:<rest>"; the tag in braces is the Redis Cluster
// hash tag, so all keys of one subject share a slot and one script can touch them together.
//
//   tag                                          what it names
//   i:<hmac>   p:<hmac>                          a client address / its /24 or /64 prefix (BanSubject)
//   r:<hmac>   a:<hmac>   m:<hmac>   h:<hmac>    a route / an account / a message / a header value
//   u:<id>                                       a single-use claim (a captcha token)
//   bans                                         the ban index
//
//   key                                          holds
//   <prefix>:{i:|p:<hmac>}:ban                   a ban (JSON), TTL = the ban's
//   <prefix>:{bans}:index                        sorted set of banned subjects' tags by expiry
//   <prefix>:{u:<id>}:claim                      who claimed a single-use token, TTL = the token's
//   <prefix>:{<tag>}:<limit>                     a limit's window (hash) or bucket (string), where <limit> is
//                                                rl:<policy>:<name>:<algorithm><kind>[:<tag of each other key part>]
//                                                (algorithm s|t, kind ""|f failures|da accounts|di addresses)
//   <prefix>:{<tag>}:<limit>:p                   its penalty's end (unix ms)
//   <prefix>:{<tag>}:<limit>:h0, :h1             its two HyperLogLogs (distinct limits)
//   <prefix>:{decisions:<policy>}:stream         recent decisions of a policy (stream), Decisions:TtlSeconds
//   <prefix>:{decisions}:policies                sorted set of policies with recorded decisions, same TTL
//   <prefix>:{decisions}:label:<request id>      a decision's label (JSON), same TTL
//   <prefix>:{audit}:stream                      the audit trail (stream), Management:AuditTtlSeconds
//   <prefix>:{flags}:<name>                      a shared flag (string), TTL = the flag's: defense:<policy>:<route>
//                                                (a forced defended mode), devices-revoked:<account hmac>
//
// In process (over-limit cache, approximate counting, lift announcements) a limit key is "<tag>|<limit>".
internal sealed class StoreKeys(string prefix)
{
    private static readonly ConditionalWeakTable<RateLimitRule, string> Suffixes = [];
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    // The start of the ban-subject ids the store's warm-up reads (never written): warmup-0, warmup-1, ...
    public const string WarmupTag = "warmup";

    public string Prefix { get; } = prefix;

    public RedisKey Ban(BanSubject subject) => $"{Prefix}:{{{subject.Token}}}:ban";

    public RedisKey BanIndex => $"{Prefix}:{{bans}}:index";

    public RedisKey Claim(string id) => $"{Prefix}:{{u:{id}}}:claim";

    public RedisKey DecisionStream(string policy) => $"{Prefix}:{{decisions:{policy}}}:stream";

    public RedisKey DecisionPolicies => $"{Prefix}:{{decisions}}:policies";

    // Every label under one hash tag: a page's labels are one MGET, also on Redis Cluster.
    public RedisKey DecisionLabel(string requestId) => $"{Prefix}:{{decisions}}:label:{requestId}";

    public RedisKey AuditStream => $"{Prefix}:{{audit}}:stream";

    // A shared flag (ISharedFlags): a forced defended mode, an account's device revocation.
    public RedisKey Flag(string name) => $"{Prefix}:{{flags}}:{name}";

    // The pub/sub channel on which instances tell each other that an admin lifted limits.
    public RedisChannel LiftChannel => RedisChannel.Literal($"{Prefix}:lifts");

    // The pub/sub channel on which instances tell each other that a subject was erased (its HMAC).
    public RedisChannel ErasureChannel => RedisChannel.Literal($"{Prefix}:erasures");

    // A limit's state key; its penalty and HyperLogLog keys derive from it.
    public string Limit(string tag, string limitSuffix) => $"{Prefix}:{{{tag}}}:{limitSuffix}";

    public static string Penalty(string limitKey) => limitKey + ":p";

    public static string DistinctHalf(string limitKey, int half) => limitKey + (half == 0 ? ":h0" : ":h1");

    // ---- tags ----

    public static string SubjectTag(BanSubjectKind kind, string hmac) => (kind == BanSubjectKind.Address ? "i:" : "p:") + hmac;

    public static bool TryParseSubjectTag(string tag, out BanSubjectKind kind, out string hmac)
    {
        kind = default;
        hmac = "";
        if (tag.Length != 34 || tag[1] != ':' || tag[0] is not ('i' or 'p') || tag.AsSpan(2).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        kind = tag[0] == 'i' ? BanSubjectKind.Address : BanSubjectKind.Prefix;
        hmac = tag[2..].ToLowerInvariant();
        return true;
    }

    public static string RouteTag(string hmac) => "r:" + hmac;

    public static string AccountTag(string hmac) => "a:" + hmac;

    public static string MessageTag(string hmac) => "m:" + hmac;

    public static string HeaderTag(string hmac) => "h:" + hmac;

    // ---- limit suffixes ----

    // "rl:<policy>:<name>:<algorithm><kind>": the algorithm letter keeps a changed algorithm off old state, the kind
    // keeps a limit that changes what it counts off old counts. Made once per rule (rules live as long as their
    // configuration version).
    public static string LimitSuffix(RateLimitRule rule) => Suffixes.GetValue(rule, static r =>
        $"rl:{r.Policy}:{r.Name}:{(r.Algorithm == RateLimitAlgorithm.SlidingWindow ? 's' : 't')}" +
        (r.CountsFailures ? "f" : r.Distinct == DistinctKind.Accounts ? "da" : r.Distinct == DistinctKind.Addresses ? "di" : ""));

    // A limit on several key parts ("ip+account") lives under its first part's tag, each other part's tag appended:
    // every HMAC of a subject appears in the key's name, so erasing a subject finds every key derived from it
    // (SubjectKeys), wherever it is not the first part.
    public static string WithCombination(string limitSuffix, IEnumerable<string> otherTags) => limitSuffix + ":" + string.Join(':', otherTags);

    // Every key whose name holds this HMAC (a subject's id: 32 hex digits, no glob character): for SCAN MATCH.
    public string SubjectKeys(string subjectId) => $"{Prefix}:*{subjectId}*";

    // A limit key in process as a string: what an announced lift carries to every instance (LocalLimitKey, below, is
    // the same key as a pair, for lookups).
    public static string LocalLimit(string tag, string limitSuffix) => tag + "|" + limitSuffix;
}

// A limit key in process as a pair, for the per-request lookups of the over-limit cache and approximate counting: the
// string form (StoreKeys.LocalLimit) cost one concatenation per limit per lookup, about a kilobyte of garbage per
// login request of nine limits. (The in-memory store holds its windows by tag, then by limit suffix.)
internal readonly record struct LocalLimitKey(string Tag, string Suffix)
{
    // Does the key's name hold this HMAC (subject erasure)? The same answer as LocalLimit(...).Contains(id).
    public bool Names(string subjectId) =>
        Tag.Contains(subjectId, StringComparison.Ordinal) || Suffix.Contains(subjectId, StringComparison.Ordinal);

    public override string ToString() => StoreKeys.LocalLimit(Tag, Suffix);

    // The string form back as a pair (a lift announced by another instance arrives as a string): tags never hold '|'.
    public static LocalLimitKey Parse(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? new LocalLimitKey(key, "") : new LocalLimitKey(key[..bar], key[(bar + 1)..]);
    }
}
