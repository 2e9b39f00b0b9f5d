using FraudGateway.RateLimiting;
using FraudGateway.Validation;

namespace FraudGateway.Scoring;

// FraudGateway:Policies:<name>:Scoring -> PolicyScoring (null when the policy does not score).
internal static class PolicyScoringParser
{
    public static PolicyScoring? Parse(PolicyScoringOptions? options, RateLimitRule[] rateLimits, bool hasCaptcha, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        var mode = options.Mode;

        foreach (var (name, value) in new[] { ("ChallengeThreshold", options.ChallengeThreshold), ("BlockThreshold", options.BlockThreshold) })
        {
            if (value is { } v && (double.IsNaN(v) || v is <= 0 or > 1))
            {
                errors.Add($"{path}:{name} must be above 0 and at most 1.");
            }
        }

        if (options.ChallengeThreshold > options.BlockThreshold)
        {
            errors.Add($"{path}: ChallengeThreshold must not be above BlockThreshold.");
        }

        if (mode == ScoringMode.Enforce && !hasCaptcha && options.ChallengeThreshold is not null && options.ChallengeThreshold < (options.BlockThreshold ?? 1))
        {
            errors.Add($"{path}: a ChallengeThreshold below the BlockThreshold needs a Captcha section on the policy to challenge with.");
        }

        var counters = new List<(int, int)>();
        foreach (var (feature, limitName) in options.Counters)
        {
            if (!Model.FeatureSchema.CounterSlots.TryGetValue(feature, out var slot))
            {
                errors.Add($"{path}:Counters:{feature} is not a counter feature ({string.Join(", ", PolicyScoring.CounterNames)}).");
                continue;
            }

            var limit = Array.FindIndex(rateLimits, r => string.Equals(r.Name, limitName, StringComparison.OrdinalIgnoreCase));
            if (limit < 0)
            {
                errors.Add($"{path}:Counters:{feature} names rate limit '{limitName}', which the policy does not have.");
                continue;
            }

            counters.Add((slot, limit));
        }

        return new PolicyScoring
        {
            Mode = mode,
            ChallengeThreshold = options.ChallengeThreshold,
            BlockThreshold = options.BlockThreshold,
            RecordFeatures = options.RecordFeatures,
            Counters = [.. counters],
        };
    }
}
