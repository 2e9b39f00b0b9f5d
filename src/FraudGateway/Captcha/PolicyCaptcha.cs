namespace FraudGateway.Captcha;

// A policy's captcha settings after validation.
public sealed class PolicyCaptcha
{
    public CaptchaMode Mode { get; init; }

    public required string Provider { get; init; }

    public string? Action { get; init; }

    public double MinScore { get; init; }

    public double RiskyAfterQuotaFraction { get; init; }

    public ProviderFailureAction OnProviderFailure { get; init; }

    public bool FailOpen => OnProviderFailure == ProviderFailureAction.FailOpen;
}
