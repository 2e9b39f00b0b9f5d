namespace FraudGateway.Model;

// What the model's score asks of the ladder. The policy maps Challenge to its rungs (proof of work, then captcha).
public enum ModelVerdict
{
    Allow,
    Challenge,
    Block,
}
