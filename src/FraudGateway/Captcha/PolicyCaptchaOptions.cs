namespace FraudGateway.Captcha;

// FraudGateway:Policies:<name>:Captcha
internal sealed class PolicyCaptchaOptions
{
    // Never, Always, or WhenRisky: required once any rate limit of the policy has used RiskyAfterQuotaFraction
    // of its quota, or the request looks automated (no user agent, malformed X-Forwarded-For).
    public CaptchaMode Mode { get; set; } = CaptchaMode.Never;

    // A name under FraudGateway:Captcha:Providers.
    public string? Provider { get; set; }

    // The action the widget must report (Turnstile, reCAPTCHA v3); empty: not checked.
    public string? Action { get; set; }

    // reCAPTCHA v3: lowest acceptable score.
    public double MinScore { get; set; } = 0.5;

    public double RiskyAfterQuotaFraction { get; set; } = 0.5;

    // FailOpen: let the request through when the provider cannot answer; FailClosed: 503 captcha-unavailable.
    public ProviderFailureAction OnProviderFailure { get; set; } = ProviderFailureAction.FailClosed;
}
