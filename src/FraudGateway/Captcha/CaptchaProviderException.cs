namespace FraudGateway.Captcha;

// The provider could not give an answer (timeout, 5xx, unreachable, unreadable reply, its own internal error,
// or a rejected secret). Never the user's fault; the policy's OnProviderFailure applies. Reason is a stable slug.
internal sealed class CaptchaProviderException(string reason, Exception? inner = null)
    : Exception($"Captcha provider failure: {reason}.", inner)
{
    public string Reason { get; } = reason;
}
