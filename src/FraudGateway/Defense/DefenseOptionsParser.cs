using FraudGateway.RateLimiting;
using FraudGateway.Validation;

namespace FraudGateway.Defense;

// FraudGateway:Policies:<name>:Defense -> DefenseSettings, and the internal windows it adds to the policy's limits.
internal static class DefenseOptionsParser
{
    // Names no operator's limit can take (names are letters, digits, '-', '_' and '.').
    public const string AttemptsWindow = "~site-attempts";
    public const string SuccessesWindow = "~site-successes";
    public const string BreachedWindow = "~site-breached";

    // Effectively unlimited: the windows count, they never refuse.
    private const long NeverReached = 1_000_000_000;

    public static DefenseSettings? Parse(DefenseOptions? options, string policy, bool watchesLogins, List<RateLimitRule> rateLimits, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        if (!watchesLogins)
        {
            errors.Add($"{path}: Defense needs the policy's LoginOutcome section (the detector counts the upstream's login answers).");
        }

        var d = options.Detector ?? new DetectorOptions();
        var at = path + ":Detector";
        ConfigCheck.Range(d.WindowSeconds, 10, 3600, at + ":WindowSeconds", errors);
        ConfigCheck.Range(d.MinUnprovenPerWindow, 1, 1_000_000, at + ":MinUnprovenPerWindow", errors);
        ConfigCheck.Range(d.CooldownSeconds, 0, 86_400, at + ":CooldownSeconds", errors);
        ConfigCheck.Range(d.WarmupMinutes, 0, 10_080, at + ":WarmupMinutes", errors);
        ConfigCheck.Range(d.MinUnprovenShare, 0, 1, at + ":MinUnprovenShare", errors);
        ConfigCheck.Range(d.WarmupUnprovenShare, 0, 1, at + ":WarmupUnprovenShare", errors);
        ConfigCheck.Range(d.UnprovenMultiplier, 1, 1000, at + ":UnprovenMultiplier", errors);
        ConfigCheck.Range(d.ShareMultiplier, 1, 1000, at + ":ShareMultiplier", errors);
        ConfigCheck.Range(d.WarmupUnprovenPerWindow, 0, 1_000_000, at + ":WarmupUnprovenPerWindow", errors);

        TrustedDeviceSettings? devices = null;
        if (options.TrustedDevices is { } t)
        {
            var dat = path + ":TrustedDevices";
            ConfigCheck.Range(t.LifetimeDays, 1, 400, dat + ":LifetimeDays", errors);
            foreach (var (name, value) in new[] { ("CookieName", t.CookieName), ("HeaderName", t.HeaderName) })
            {
                if (string.IsNullOrWhiteSpace(value) || value.AsSpan().ContainsAnyExcept(ConfigCheck.NameChars))
                {
                    errors.Add($"{dat}:{name} must be a token of letters, digits, '-', '_' or '.' (was '{value}').");
                }
            }

            devices = new TrustedDeviceSettings(TimeSpan.FromDays(t.LifetimeDays), t.CookieName, t.HeaderName);
        }

        var detector = new DetectorSettings(d.Enabled, d.WindowSeconds, d.MinUnprovenPerWindow, d.MinUnprovenShare, d.UnprovenMultiplier, d.ShareMultiplier,
            d.CooldownSeconds, d.WarmupMinutes, d.WarmupUnprovenPerWindow, d.WarmupUnprovenShare);
        if (!d.Enabled)
        {
            return new DefenseSettings { Detector = detector, TrustedDevices = devices };
        }

        var attempts = rateLimits.Count;
        rateLimits.Add(Window(AttemptsWindow, policy, d.WindowSeconds, successes: false));
        rateLimits.Add(Window(SuccessesWindow, policy, d.WindowSeconds, successes: true));
        // Attempts whose password is in the breach corpus (Credentials), counted like attempts: the clearest sign.
        rateLimits.Add(Window(BreachedWindow, policy, d.WindowSeconds, successes: false));
        return new DefenseSettings { Detector = detector, TrustedDevices = devices, AttemptsSlot = attempts, SuccessesSlot = attempts + 1, BreachedSlot = attempts + 2 };
    }

    private static RateLimitRule Window(string name, string policy, int windowSeconds, bool successes) => new()
    {
        Name = name,
        Policy = policy,
        KeyParts = [new RateLimitKeyPart(RateLimitKeyKind.Route)],
        Limit = NeverReached,
        WindowMs = windowSeconds * 1000L,
        Algorithm = RateLimitAlgorithm.SlidingWindow,
        CountsSuccesses = successes,
        CountsAfterDecision = !successes,
        Internal = true,
        PolicyItem = "",
    };
}
