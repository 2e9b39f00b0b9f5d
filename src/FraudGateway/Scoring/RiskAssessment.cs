using FraudGateway.Model;

namespace FraudGateway.Scoring;

// What the scoring stage found, for the decision record.
public sealed record RiskAssessment(string ModelVersion, float Score, string Decision, RiskReason[] Reasons, string? CandidateVersion, float? CandidateScore, string? CandidateDecision, float[]? Features)
{
    public override string ToString() =>
        $"{Score:0.0000} {Decision} by {ModelVersion}" + (Reasons.Length == 0 ? "" : $" ({string.Join(", ", Reasons)})")
        + (CandidateVersion is null ? "" : $"; candidate {CandidateVersion}: {CandidateScore:0.0000} {CandidateDecision}");
}
