namespace FraudGateway.BodyInspection;

// What a failed contact-form check (honeypot, form token, disposable e-mail) does.
public enum SignalAction
{
    // 403 spam-detected.
    Block,

    // A captcha is required (the policy's Captcha decides which); solved, the request goes on.
    Challenge,

    // Only a finding in the decision record (and, later, a model feature).
    Record,
}
