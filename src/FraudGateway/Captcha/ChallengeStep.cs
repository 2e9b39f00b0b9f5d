namespace FraudGateway.Captcha;

// The challenge a request must pass, as the ladder (Scoring/ChallengeLadder.cs) or the site-wide defense decides it
// and the captcha stage enforces it: a rung names its provider and the score it starts at.
public sealed record ChallengeRung(string Provider, double? Threshold);

public enum LadderStepKind
{
    Allow,
    ProofOfWork,
    Captcha,
    Block,
}

public readonly record struct LadderStep(LadderStepKind Kind, ChallengeRung? Rung)
{
    public static readonly LadderStep Allow = new(LadderStepKind.Allow, null);

    public static readonly LadderStep Block = new(LadderStepKind.Block, null);

    // As decision records and metrics name it.
    public string Name => Kind switch
    {
        LadderStepKind.ProofOfWork => "proof-of-work",
        LadderStepKind.Captcha => "captcha",
        LadderStepKind.Block => "block",
        _ => "allow",
    };
}
