namespace FraudGateway.Privacy;

internal sealed class PrivacyOptions
{
    // Key for the HMAC that turns IPs, prefixes and account names into stored identifiers.
    // At least 32 characters. Required with Redis, because every instance must derive the same keys;
    // without Redis an empty key means a random one per process (and a warning at start).
    public string HmacKey { get; set; } = "";
}
