namespace FraudGateway.BodyInspection;

// What a body the gateway cannot read gets (BodyInspection:OnInvalidBody).
public enum InvalidBodyAction
{
    // 413 over MaxBodyBytes, 415 not JSON or a form, 400 malformed.
    Reject,

    // Forwarded untouched; the finding is recorded.
    PassThrough,
}
