namespace FraudGateway.Scoring;

/// <summary>
/// FraudGateway:Policies:&lt;name&gt;:Scoring:Ladder: the policy's answer to a risk score, rung by rung.
/// "Ladder": { "ProofOfWork": { "Provider": "pow", "Threshold": 0.6 },
/// "Captcha": { "Provider": "turnstile", "Threshold": 0.85 },
/// "Block": { "Threshold": 0.95 } }
/// Every rung is optional. Without a challenge rung the policy challenges with the gateway's built-in proof of work
/// (CaptchaProviderRegistry.BuiltInProofOfWork), so a score in the challenge band is always enforced.
/// </summary>
internal sealed class LadderOptions
{
    public LadderRungOptions? ProofOfWork { get; set; }

    public LadderRungOptions? Captcha { get; set; }

    public LadderBlockOptions? Block { get; set; }
}

internal sealed class LadderRungOptions
{
    /// <summary>
    /// A name under FraudGateway:Captcha:Providers (ProofOfWork type for the ProofOfWork rung, a captcha for the other).
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>
    /// Default: the lowest rung starts at the model's suggested challenge threshold; a captcha rung above a proof of
    /// work rung needs its own.
    /// </summary>
    public double? Threshold { get; set; }
}

internal sealed class LadderBlockOptions
{
    /// <summary>
    /// Default: the model's suggested block threshold. A block also needs two independent signal groups.
    /// </summary>
    public double? Threshold { get; set; }

    /// <summary>
    /// False: the model never blocks; its highest answer is the top challenge rung.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
