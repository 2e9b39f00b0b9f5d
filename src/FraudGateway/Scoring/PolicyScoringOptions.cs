namespace FraudGateway.Scoring;

// FraudGateway:Policies:<name>:Scoring
internal sealed class PolicyScoringOptions
{
    // Enforce: scores at or above ChallengeThreshold need a captcha, at or above BlockThreshold are refused.
    // Shadow: scored and recorded, never enforced. Off: rules only.
    public ScoringMode Mode { get; set; } = ScoringMode.Enforce;

    // Default: the model's suggested thresholds (its model card).
    public double? ChallengeThreshold { get; set; }

    public double? BlockThreshold { get; set; }

    // Write each scored request's feature vector into its decision record (docs/training-data.md, feature form).
    public bool RecordFeatures { get; set; }

    // Which of the policy's rate limits feed which counter feature, e.g. "requestsPerIpMinute": "ip-minute".
    // Counter features without a limit are -1 (unknown).
    public Dictionary<string, string> Counters { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
