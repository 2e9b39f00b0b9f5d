namespace FraudGateway.RateLimiting;

// What one limit said about one attempt. Times are in milliseconds.
public readonly record struct RateLimitDecision(bool Allowed, long Remaining, long ResetMs, long RetryAfterMs);
