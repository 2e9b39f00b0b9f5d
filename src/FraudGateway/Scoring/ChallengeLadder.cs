using FraudGateway.Captcha;
using FraudGateway.Model;

namespace FraudGateway.Scoring;

// A policy's ladder after validation: allow -> proof of work -> captcha -> block. Thresholds left empty come from the
// model's card at decision time (ModelMetadata), so a retrained model moves them with it.
public sealed class ChallengeLadder
{
    public ChallengeRung? ProofOfWork { get; init; }

    public ChallengeRung? Captcha { get; init; }

    public double? BlockThreshold { get; init; }

    public bool Blocks { get; init; } = true;

    // The highest challenge rung: what a score the model may not block on (one signal group) is asked for.
    public ChallengeRung Top => Captcha ?? ProofOfWork!;

    // The rung for the model's verdict (IndependentEvidence, decided with ChallengeThreshold and BlockAt): Block only
    // with independent evidence; a score at the block threshold with one signal group gets the top challenge rung;
    // otherwise the captcha rung from its threshold, the proof of work below it.
    public LadderStep Step(float score, ModelVerdict verdict, ModelMetadata model)
    {
        switch (verdict)
        {
            case ModelVerdict.Allow:
                return LadderStep.Allow;
            case ModelVerdict.Block when Blocks:
                return LadderStep.Block;
        }

        if (Captcha is { } captcha && (ProofOfWork is null || score >= (captcha.Threshold ?? 1) || score >= BlockThreshold.GetValueOrDefault(model.SuggestedBlockThreshold)))
        {
            return new LadderStep(LadderStepKind.Captcha, captcha);
        }

        return new LadderStep(LadderStepKind.ProofOfWork, ProofOfWork ?? Top);
    }

    // The lowest score that gets any challenge, and the block threshold, for this model.
    public double ChallengeThreshold(ModelMetadata model) =>
        (ProofOfWork ?? Captcha)?.Threshold ?? model.SuggestedChallengeThreshold;

    // For the start-up log: "proof of work (pow) from the model's challenge threshold, captcha (turnstile) from 0.8,
    // block from the model's block threshold with two independent signal groups".
    public override string ToString()
    {
        var rungs = new List<string>(3);
        if (ProofOfWork is { } work)
        {
            rungs.Add($"proof of work ({work.Provider}) from {work.Threshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the model's challenge threshold"}");
        }

        if (Captcha is { } captcha)
        {
            rungs.Add($"captcha ({captcha.Provider}) from {captcha.Threshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the model's challenge threshold"}");
        }

        rungs.Add(Blocks
            ? $"block from {BlockThreshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the model's block threshold"} with two independent signal groups"
            : "never a block");
        return string.Join(", ", rungs);
    }

    public double BlockAt(ModelMetadata model) => Blocks ? BlockThreshold ?? model.SuggestedBlockThreshold : double.PositiveInfinity;
}
