using FraudGateway.Model;

namespace FraudGateway.Scoring;

// A policy's scoring settings after validation.
public sealed class PolicyScoring
{
    public ScoringMode Mode { get; init; }

    public double? ChallengeThreshold { get; init; }

    public double? BlockThreshold { get; init; }

    public bool RecordFeatures { get; init; }

    // How the policy answers a score: every Enforce policy has at least one challenge rung.
    public required ChallengeLadder Ladder { get; init; }

    // (feature slot, rate-limit slot) pairs: the limit's count in its window becomes the feature.
    public (int Feature, int Limit)[] Counters { get; init; } = [];

    public static IReadOnlyList<string> CounterNames => [.. FeatureSchema.CounterSlots.Keys];
}
