namespace FraudGateway.Captcha;

internal enum CaptchaProviderType
{
    Turnstile,
    HCaptcha,
    RecaptchaV2,
    RecaptchaV3,
    ProofOfWork,
}
