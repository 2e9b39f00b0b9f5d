namespace FraudGateway.Scoring;

/// <summary>
/// FraudGateway:Policies:&lt;name&gt;:Scoring
/// </summary>
internal sealed class PolicyScoringOptions
{
    /// <summary>
    /// Enforce: scores at or above the ladder's lowest rung are challenged (proof of work, then captcha), at or above
    /// the block threshold with two independent signal groups refused.
    /// Shadow: scored and recorded, never enforced. Off: rules only.
    /// </summary>
    public ScoringMode Mode { get; set; } = ScoringMode.Enforce;

    /// <summary>
    /// Without a Ladder: where the challenge rung (the policy's Captcha provider, else the built-in proof of work) and
    /// the block start. Default: the model's suggested thresholds (its model card).
    /// </summary>
    public double? ChallengeThreshold { get; set; }

    public double? BlockThreshold { get; set; }

    /// <summary>
    /// The rungs with their providers and thresholds (LadderOptions).
    /// </summary>
    public LadderOptions? Ladder { get; set; }

    /// <summary>
    /// Write each scored request's feature vector into its decision record (docs/training-data.md, feature form).
    /// </summary>
    public bool RecordFeatures { get; set; }

    /// <summary>
    /// Which of the policy's rate limits feed which counter feature, e.g. "requestsPerIpMinute": "ip-minute".
    /// Counter features without a limit are -1 (unknown).
    /// </summary>
    public Dictionary<string, string> Counters { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
