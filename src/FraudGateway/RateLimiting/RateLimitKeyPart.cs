namespace FraudGateway.RateLimiting;

public enum RateLimitKeyKind
{
    Ip,
    Prefix,
    Route,
    Header,

    // The normalised account identifier from body inspection, as an HMAC.
    Account,

    // The normalised message text from body inspection, as an HMAC: the same message from many clients.
    Message,
}

// One component of a limit's key. HeaderName is set for Header only.
public readonly record struct RateLimitKeyPart(RateLimitKeyKind Kind, string? HeaderName = null);
