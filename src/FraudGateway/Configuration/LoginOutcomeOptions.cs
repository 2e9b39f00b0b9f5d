namespace FraudGateway.Configuration;

// FraudGateway:Policies:<name>:LoginOutcome: how the upstream's answer says whether a login failed.
public sealed class LoginOutcomeOptions
{
    public List<int> FailureStatusCodes { get; set; } = [401, 403];

    // Any 2xx is a success; everything else (400, 429, 5xx) is neither and counts nowhere.
}
