using FraudGateway.Model;

namespace FraudGateway.Scoring;

// What the scoring stage found, for the decision record.
// Rung: the ladder's answer (allow, proof-of-work, captcha, block). Evidence: at the block threshold, the signal groups
// that each earn a challenge alone ("user-agent+header-set"; a block needs two).
public sealed record RiskAssessment(string ModelVersion, float Score, string Decision, RiskReason[] Reasons, string? CandidateVersion, float? CandidateScore, string? CandidateDecision, float[]? Features)
{
    public string Rung { get; init; } = "allow";

    public string Evidence { get; init; } = "";

    public override string ToString() =>
        $"{Score:0.0000} {Decision} by {ModelVersion}" + (Reasons.Length == 0 ? "" : $" ({string.Join(", ", Reasons)})")
        + (Decision == "challenge" ? $" [rung {Rung}]" : "") + (Evidence.Length == 0 ? "" : $" [independent evidence: {Evidence}]")
        + (CandidateVersion is null ? "" : $"; candidate {CandidateVersion}: {CandidateScore:0.0000} {CandidateDecision}");
}
