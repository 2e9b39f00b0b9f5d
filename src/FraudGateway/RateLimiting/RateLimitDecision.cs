namespace FraudGateway.RateLimiting;

// What one limit said about one attempt. Times are in milliseconds.
public readonly record struct RateLimitDecision(bool Allowed, long Remaining, long ResetMs, long RetryAfterMs)
{
    // Not asked this time (the over-limit cache answered for another limit): allowed, nothing known about it.
    public static readonly RateLimitDecision Unknown = new(true, -1, 0, 0);

    public bool IsUnknown => Remaining < 0;
}
