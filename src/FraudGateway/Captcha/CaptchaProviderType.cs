namespace FraudGateway.Captcha;

public enum CaptchaProviderType
{
    Turnstile,
    HCaptcha,
    RecaptchaV2,
    RecaptchaV3,
    ProofOfWork,
}
