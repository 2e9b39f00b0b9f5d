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

    // The client's TLS fingerprint (JA4): one tool across thousands of addresses is one counter. A request without a
    // fingerprint (plain HTTP, an unreadable hello) is not counted by such a limit: unknown is not one shared value.
    Ja4,
}

// One component of a limit's key. HeaderName is set for Header only.
public readonly record struct RateLimitKeyPart(RateLimitKeyKind Kind, string? HeaderName = null);
