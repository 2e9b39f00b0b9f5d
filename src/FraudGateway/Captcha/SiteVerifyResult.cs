namespace FraudGateway.Captcha;

// What a provider said about a token, before the gateway's own checks (hostname, action, score, age).
internal sealed record SiteVerifyResult(
    bool Success,
    IReadOnlyList<string> ErrorCodes,
    string? Hostname = null,
    DateTimeOffset? ChallengeTime = null,
    string? Action = null,
    double? Score = null);
