namespace FraudGateway.Decisions;

/// <summary>
/// The reasons and findings a decision record can hold, for GET /admin/decisions?reason=: a reason that is none of
/// them is a mistake (a 400 naming them), not an empty page. Fixed names, families with a variable tail (a limit's
/// name, a provider's answer), and the configured limits' own names.
/// </summary>
internal static class DecisionReasons
{
    /// <summary>Reasons and findings written as they are.</summary>
    public static readonly IReadOnlySet<string> Fixed = new HashSet<string>(StringComparer.Ordinal)
    {
        // Decisions' reasons.
        "no-rule-matched", "allow-list", "deny-list", "banned-address", "banned-prefix", "risk-score", "store-unavailable",
        "captcha-required", "captcha-replayed", "unsupported-content-type", "body-too-large", "body-too-slow", "body-framing",
        "malformed-json", "honeypot-filled", "disposable-email",
        // Stages (a stage that decides without a reason of its own names itself).
        "pipeline", "identity", "access-lists", "body", "device-trust", "counters", "rate-limits", "defense", "scoring", "captcha",
        // Findings.
        "forwarded-for-malformed", "user-agent-truncated", "over-limit-cache", "store-unavailable-checks-skipped",
        "store-unavailable-local-limits", "model-unavailable", "trusted-device", "defended-challenge", "defended-escalated",
        "pass", "verified", "allow", "proof-of-work", "block",
    };

    /// <summary>Families: the prefix and what follows it.</summary>
    public static readonly IReadOnlyList<(string Prefix, string Tail)> Families =
    [
        ("rate-limited:", "a limit's name"),
        ("captcha-", "the captcha check's answer"),
        ("form-token-", "the form token's state"),
        ("would-block-", "a reason (shadow mode)"),
        ("shadow-", "a ladder rung (shadow scoring)"),
        ("skipped-", "a provider failure (fail open)"),
    ];

    public static bool IsKnown(string reason, IEnumerable<string> limitNames) =>
        Fixed.Contains(reason)
        || Families.Any(f => reason.Length > f.Prefix.Length && reason.StartsWith(f.Prefix, StringComparison.Ordinal))
        || limitNames.Contains(reason, StringComparer.OrdinalIgnoreCase);

    public static string Describe() =>
        string.Join(", ", Fixed.Order(StringComparer.Ordinal)) + "; a rate limit's name; or "
        + string.Join(", ", Families.Select(f => $"{f.Prefix}<{f.Tail}>"));
}
