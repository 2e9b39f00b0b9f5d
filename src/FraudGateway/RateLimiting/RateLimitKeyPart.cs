namespace FraudGateway.RateLimiting;

public enum RateLimitKeyKind
{
    Ip,
    Prefix,
    Route,
    Header,
}

// One component of a limit's key. HeaderName is set for Header only.
public readonly record struct RateLimitKeyPart(RateLimitKeyKind Kind, string? HeaderName = null);
