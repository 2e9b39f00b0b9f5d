namespace FraudGateway.RateLimiting;

// What a rate limit counts (RateLimits:Counts).
internal enum RateLimitCounts
{
    // Every attempt, when it arrives.
    Requests,

    // Failed logins, after the upstream answered (needs LoginOutcome).
    Failures,

    // Distinct accounts seen for the key (needs BodyInspection:AccountField).
    DistinctAccounts,

    // Distinct client addresses seen for the key.
    DistinctAddresses,
}
