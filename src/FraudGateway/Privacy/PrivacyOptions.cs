namespace FraudGateway.Privacy;

internal sealed class PrivacyOptions
{
    /// <summary>
    /// Key for the HMAC that turns IPs, prefixes and account names into stored identifiers.
    /// At least 32 characters. Required with Redis, because every instance must derive the same keys;
    /// without Redis an empty key means a random one per process (and a warning at start).
    /// </summary>
    public string HmacKey { get; set; } = "";

    /// <summary>
    /// A name for the current key (shown with bans, in /readyz and in the audit of a rotation); any short text.
    /// </summary>
    public string HmacKeyId { get; set; } = "current";

    /// <summary>
    /// Keys used before the current one, each until its end: lookups (bans, limits, passes, form tokens, challenges,
    /// subject requests) try them too, so a rotation neither resets bans and limits nor lets a banned client in. New
    /// records use the current key only. docs/privacy.md "Rotating the HMAC key" gives the procedure.
    /// </summary>
    public List<PreviousHmacKey> PreviousHmacKeys { get; set; } = [];
}

internal sealed class PreviousHmacKey
{
    public string Id { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>
    /// After this moment (UTC) the key is no longer tried.
    /// </summary>
    public DateTimeOffset? ValidUntil { get; set; }
}
