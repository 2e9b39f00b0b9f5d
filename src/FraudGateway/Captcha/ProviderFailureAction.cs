namespace FraudGateway.Captcha;

// What a request gets when the captcha provider cannot answer (Captcha:OnProviderFailure).
public enum ProviderFailureAction
{
    // 503 captcha-unavailable.
    FailClosed,

    // Forwarded without a verified captcha; logged and counted.
    FailOpen,
}
