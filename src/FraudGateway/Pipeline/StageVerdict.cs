namespace FraudGateway.Pipeline;

// What one stage found. Findings that do not decide anything (a skipped check, a malformed header)
// are recorded too, so the decision record explains the whole path.
public readonly record struct StageVerdict(string Stage, string Finding);
