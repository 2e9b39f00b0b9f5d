namespace FraudGateway.Captcha;

/// <summary>
/// FraudGateway:Policies:&lt;name&gt;:Captcha
/// </summary>
internal sealed class PolicyCaptchaOptions
{
    /// <summary>
    /// Never, Always, or WhenRisky: required once any rate limit of the policy has used RiskyAfterQuotaFraction
    /// of its quota, or the request looks automated (no user agent, malformed X-Forwarded-For).
    /// </summary>
    public CaptchaMode Mode { get; set; } = CaptchaMode.Never;

    /// <summary>
    /// A name under FraudGateway:Captcha:Providers.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The action the widget must report (Turnstile, reCAPTCHA v3); empty: not checked.
    /// </summary>
    public string? Action { get; set; }

    /// <summary>
    /// reCAPTCHA v3: lowest acceptable score.
    /// </summary>
    public double MinScore { get; set; } = 0.5;

    public double RiskyAfterQuotaFraction { get; set; } = 0.5;

    /// <summary>
    /// FailOpen: let the request through when the provider cannot answer; FailClosed: 503 captcha-unavailable.
    /// </summary>
    public ProviderFailureAction OnProviderFailure { get; set; } = ProviderFailureAction.FailClosed;
}
