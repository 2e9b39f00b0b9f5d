namespace FraudGateway.RateLimiting;

// A rate limit after parsing and validation.
public sealed class RateLimitRule
{
    public required string Name { get; init; }

    public required string Policy { get; init; }

    // The first part decides the store group (hash tag) the limit's keys live in.
    public required RateLimitKeyPart[] KeyParts { get; init; }

    public long Limit { get; init; }

    public long WindowMs { get; init; }

    public RateLimitAlgorithm Algorithm { get; init; }

    public long Burst { get; init; }

    // What a decision's Remaining counts down from: the window's limit, or a token bucket's capacity (its burst).
    public long Capacity => Algorithm == RateLimitAlgorithm.TokenBucket ? Burst : Limit;

    public long PenaltyMs { get; init; }

    // Counts failed logins (recorded after the upstream answers) instead of requests; checked, not counted, on arrival.
    public bool CountsFailures { get; init; }

    public bool ResetOnSuccess { get; init; }

    // Counts successful logins (recorded after the upstream answers); checked, not counted, on arrival. Only the
    // site-wide attack detector's own windows (Internal) do.
    public bool CountsSuccesses { get; init; }

    // Counted once the gateway has decided, for a request it forwards or challenges (not one a rule or the model
    // refuses outright); checked, not counted, on arrival. Only the site-wide detector's attempts window does.
    public bool CountsAfterDecision { get; init; }

    // One of the gateway's own windows (Defense: the site-wide counts), not an operator's limit: it never refuses
    // and is left out of the RateLimit headers.
    public bool Internal { get; init; }

    // Keyed by the route alone: one quota for everyone on the route.
    public bool IsRouteWide => Array.TrueForAll(KeyParts, p => p.Kind == RateLimitKeyKind.Route) && !Internal;

    // Counts distinct accounts or addresses (HyperLogLog in Redis) on arrival instead of requests.
    public DistinctKind Distinct { get; init; }

    // This limit's member of the RateLimit-Policy field: "ip-minute";q=5;w=60
    public required string PolicyItem { get; init; }

    // For a failure limit, whether an arrival check found failures on record: the check counts one hypothetical
    // attempt, so a key without failures shows exactly one less than its full quota (Burst for a token bucket).
    public bool HasFailuresOnRecord(RateLimitDecision checkedOnArrival) =>
        CountsFailures && !checkedOnArrival.IsUnknown
        && (!checkedOnArrival.Allowed || checkedOnArrival.Remaining < (Algorithm == RateLimitAlgorithm.TokenBucket ? Burst : Limit) - 1);
}
