namespace FraudGateway.Counters;

/// <summary>
/// FraudGateway:Policies:&lt;name&gt;:LoginOutcome: how the upstream's answer says whether a login failed.
/// </summary>
internal sealed class LoginOutcomeOptions
{
    public List<int> FailureStatusCodes { get; set; } = [401, 403];

    /// <summary>
    /// Any 2xx is a success; everything else (400, 429, 5xx) is neither and counts nowhere, unless JsonField is
    /// set: then a 2xx JSON answer whose top-level JsonField has one of FailureJsonValues is a failure
    /// (for APIs that answer 200 {"success": false}). Values compare as text: "false", "0", "invalid_credentials".
    /// Such answers are classified once their body (first 8 KiB) has gone through, after the response.
    /// </summary>
    public string? JsonField { get; set; }

    public List<string> FailureJsonValues { get; set; } = [];
}
