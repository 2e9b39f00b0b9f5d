using FraudGateway.Captcha;
using FraudGateway.RateLimiting;
using FraudGateway.Validation;

namespace FraudGateway.Scoring;

// FraudGateway:Policies:<name>:Scoring -> PolicyScoring (null when the policy does not score).
internal static class PolicyScoringParser
{
    // configuredLimits: every limit name the policy's configuration holds, valid or not; a counter naming a limit that
    // is configured but invalid is not reported again (the limit's own errors say what is wrong).
    public static PolicyScoring? Parse(PolicyScoringOptions? options, RateLimitRule[] rateLimits, PolicyCaptcha? policyCaptcha, CaptchaOptions captcha,
        string path, List<string> errors, IReadOnlyCollection<string>? configuredLimits = null)
    {
        if (options is null)
        {
            return null;
        }

        var mode = options.Mode;

        foreach (var (name, value) in new[] { ("ChallengeThreshold", options.ChallengeThreshold), ("BlockThreshold", options.BlockThreshold) })
        {
            CheckThreshold(value, $"{path}:{name}", errors);
        }

        if (options.ChallengeThreshold > options.BlockThreshold)
        {
            errors.Add($"{path}: ChallengeThreshold must not be above BlockThreshold.");
        }

        var ladder = options.Ladder is null
            ? DefaultLadder(options, policyCaptcha, captcha)
            : ParseLadder(options, captcha, path, errors);
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
                if (configuredLimits?.Contains(limitName, StringComparer.OrdinalIgnoreCase) == true)
                {
                    continue;
                }

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
            Ladder = ladder,
            RecordFeatures = options.RecordFeatures,
            Counters = [.. counters],
        };
    }

    // No Ladder section: the policy's Captcha provider is its challenge rung (a proof of work or a captcha, by its
    // type), else the built-in proof of work; ChallengeThreshold and BlockThreshold place the rungs.
    private static ChallengeLadder DefaultLadder(PolicyScoringOptions options, PolicyCaptcha? policyCaptcha, CaptchaOptions captcha)
    {
        var provider = policyCaptcha?.Provider ?? CaptchaProviderRegistry.BuiltInProofOfWork;
        var rung = new ChallengeRung(provider, options.ChallengeThreshold);
        var isWork = policyCaptcha is null || IsProofOfWork(provider, captcha) == true;
        return new ChallengeLadder
        {
            ProofOfWork = isWork ? rung : null,
            Captcha = isWork ? null : rung,
            BlockThreshold = options.BlockThreshold,
        };
    }

    private static ChallengeLadder ParseLadder(PolicyScoringOptions options, CaptchaOptions captcha, string path, List<string> errors)
    {
        var ladder = options.Ladder!;
        var at = path + ":Ladder";
        if (options.ChallengeThreshold is not null || options.BlockThreshold is not null)
        {
            errors.Add($"{path}: ChallengeThreshold and BlockThreshold cannot be used with a Ladder; give each rung its Threshold.");
        }

        var work = Rung(ladder.ProofOfWork, at + ":ProofOfWork", wantsProofOfWork: true, captcha, errors);
        var challenge = Rung(ladder.Captcha, at + ":Captcha", wantsProofOfWork: false, captcha, errors);
        var blockAt = ladder.Block?.Threshold;
        CheckThreshold(blockAt, at + ":Block:Threshold", errors);
        if (work is not null && challenge is not null && challenge.Threshold is null)
        {
            errors.Add($"{at}:Captcha:Threshold is required above a ProofOfWork rung (the score from which the captcha replaces the proof of work).");
        }

        // Thresholds in order: proof of work < captcha < block.
        var order = new[] { ("ProofOfWork:Threshold", ladder.ProofOfWork?.Threshold), ("Captcha:Threshold", ladder.Captcha?.Threshold), ("Block:Threshold", blockAt) }
            .Where(t => t.Item2 is not null).ToArray();
        for (var i = 1; i < order.Length; i++)
        {
            if (order[i].Item2 <= order[i - 1].Item2)
            {
                errors.Add($"{at}:{order[i].Item1} ({order[i].Item2}) must be above {at}:{order[i - 1].Item1} ({order[i - 1].Item2}): rungs go allow, proof of work, captcha, block.");
            }
        }

        var blocks = ladder.Block?.Enabled ?? true;
        if (work is null && challenge is null)
        {
            // A ladder that can block needs a rung below the block to challenge with: the built-in proof of work.
            work = new ChallengeRung(CaptchaProviderRegistry.BuiltInProofOfWork, null);
        }

        return new ChallengeLadder { ProofOfWork = work, Captcha = challenge, BlockThreshold = blockAt, Blocks = blocks };
    }

    private static ChallengeRung? Rung(LadderRungOptions? options, string path, bool wantsProofOfWork, CaptchaOptions captcha, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        CheckThreshold(options.Threshold, path + ":Threshold", errors);
        var provider = options.Provider;
        if (string.IsNullOrWhiteSpace(provider))
        {
            if (wantsProofOfWork)
            {
                return new ChallengeRung(CaptchaProviderRegistry.BuiltInProofOfWork, options.Threshold);
            }

            errors.Add($"{path}:Provider is required: a captcha provider under FraudGateway:Captcha:Providers.");
            return null;
        }

        switch (IsProofOfWork(provider, captcha))
        {
            case null:
                errors.Add($"{path}:Provider '{provider}' is not defined under FraudGateway:Captcha:Providers.");
                return null;
            case true when !wantsProofOfWork:
                errors.Add($"{path}:Provider '{provider}' is a ProofOfWork provider; the Captcha rung needs a captcha (Turnstile, HCaptcha, RecaptchaV2, RecaptchaV3).");
                return null;
            case false when wantsProofOfWork:
                errors.Add($"{path}:Provider '{provider}' is a captcha; the ProofOfWork rung needs a ProofOfWork provider.");
                return null;
        }

        return new ChallengeRung(provider, options.Threshold);
    }

    // True / false by the provider's type; null when no such provider exists (the built-in one always does).
    private static bool? IsProofOfWork(string provider, CaptchaOptions captcha)
    {
        if (captcha.Providers.TryGetValue(provider, out var options))
        {
            return string.Equals(options.Type, nameof(CaptchaProviderType.ProofOfWork), StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(provider, CaptchaProviderRegistry.BuiltInProofOfWork, StringComparison.OrdinalIgnoreCase) ? true : null;
    }

    private static void CheckThreshold(double? value, string path, List<string> errors)
    {
        if (value is { } v && (double.IsNaN(v) || v is <= 0 or > 1))
        {
            errors.Add($"{path} must be above 0 and at most 1.");
        }
    }
}
