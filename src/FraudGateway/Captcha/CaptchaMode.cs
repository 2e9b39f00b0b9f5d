namespace FraudGateway.Captcha;

public enum CaptchaMode
{
    Never,
    Always,
    WhenRisky,
}
