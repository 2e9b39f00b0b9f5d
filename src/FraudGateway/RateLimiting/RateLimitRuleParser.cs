using FraudGateway.Validation;

namespace FraudGateway.RateLimiting;

internal static class RateLimitRuleParser
{
    public const int MaxRulesPerPolicy = 16;
    public const int MaxNameLength = 64;
    public const int MaxWindowSeconds = 7 * 24 * 3600;

    public static RateLimitRule[] Parse(string policy, List<RateLimitOptions>? options, string path, ICollection<string> errors, bool hasAccountField = false, bool hasLoginOutcome = false, bool hasMessageField = false)
    {
        if (options is null || options.Count == 0)
        {
            return [];
        }

        if (options.Count > MaxRulesPerPolicy)
        {
            errors.Add($"{path}: at most {MaxRulesPerPolicy} rate limits per policy (found {options.Count}).");
        }

        var rules = new List<RateLimitRule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Count; i++)
        {
            var rule = ParseOne(policy, options[i], $"{path}:{i}", errors, hasAccountField, hasLoginOutcome, hasMessageField);
            if (rule is null)
            {
                continue;
            }

            if (!names.Add(rule.Name))
            {
                errors.Add($"{path}:{i}:Name '{rule.Name}' is used twice in this policy.");
                continue;
            }

            rules.Add(rule);
        }

        return rules.ToArray();
    }

    private static RateLimitRule? ParseOne(string policy, RateLimitOptions options, string path, ICollection<string> errors, bool hasAccountField, bool hasLoginOutcome, bool hasMessageField)
    {
        var before = errors.Count;
        var counts = options.Counts;
        var countsFailures = counts == RateLimitCounts.Failures;
        var distinct = counts switch
        {
            RateLimitCounts.DistinctAccounts => DistinctKind.Accounts,
            RateLimitCounts.DistinctAddresses => DistinctKind.Addresses,
            _ => DistinctKind.None,
        };
        if (distinct == DistinctKind.Accounts && !hasAccountField)
        {
            errors.Add($"{path}:Counts DistinctAccounts needs the policy's BodyInspection:AccountField.");
        }
        else if (distinct != DistinctKind.None && !string.Equals(options.Algorithm, "SlidingWindow", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:Counts {options.Counts} works with the SlidingWindow algorithm only.");
        }
        else if (countsFailures && !hasLoginOutcome)
        {
            errors.Add($"{path}:Counts Failures needs the policy's LoginOutcome section, which says what a failed login is.");
        }

        if (options.ResetOnSuccess && !countsFailures)
        {
            errors.Add($"{path}:ResetOnSuccess applies to Counts Failures only.");
        }

        if (string.IsNullOrEmpty(options.Name) || options.Name.Length > MaxNameLength || options.Name.AsSpan().ContainsAnyExcept(ConfigCheck.NameChars))
        {
            errors.Add($"{path}:Name is required: 1-64 letters, digits, '-', '_' or '.' (was '{options.Name}').");
        }

        if (options.Limit <= 0)
        {
            errors.Add($"{path}:Limit must be a positive number of requests (was {options.Limit}).");
        }

        if (options.WindowSeconds is <= 0 or > MaxWindowSeconds)
        {
            errors.Add($"{path}:WindowSeconds must be between 1 and {MaxWindowSeconds} (was {options.WindowSeconds}).");
        }

        if (options.PenaltySeconds is < 0 or > MaxWindowSeconds)
        {
            errors.Add($"{path}:PenaltySeconds must be between 0 and {MaxWindowSeconds} (was {options.PenaltySeconds}).");
        }

        var algorithm = ConfigCheck.Enum(options.Algorithm, path + ":Algorithm", errors, RateLimitAlgorithm.SlidingWindow);

        if (options.Burst is not null && algorithm != RateLimitAlgorithm.TokenBucket)
        {
            errors.Add($"{path}:Burst applies to TokenBucket only.");
        }
        else if (options.Burst is <= 0)
        {
            errors.Add($"{path}:Burst must be positive (was {options.Burst}).");
        }

        var parts = ParseKey(options.Key, path + ":Key", errors, hasAccountField, hasMessageField);
        if (errors.Count > before)
        {
            return null;
        }

        return new RateLimitRule
        {
            Name = options.Name,
            Policy = policy,
            KeyParts = parts,
            Limit = options.Limit,
            WindowMs = options.WindowSeconds * 1000L,
            Algorithm = algorithm,
            Burst = options.Burst ?? options.Limit,
            PenaltyMs = options.PenaltySeconds * 1000L,
            CountsFailures = countsFailures,
            Distinct = distinct,
            ResetOnSuccess = options.ResetOnSuccess,
            PolicyItem = $"\"{options.Name}\";q={options.Limit};w={options.WindowSeconds}",
        };
    }

    private static RateLimitKeyPart[] ParseKey(string key, string path, ICollection<string> errors, bool hasAccountField, bool hasMessageField)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            errors.Add($"{path} is required: {KeyHelp}.");
            return [];
        }

        var parts = new List<RateLimitKeyPart>();
        foreach (var raw in key.Split('+', StringSplitOptions.TrimEntries))
        {
            var part = raw.ToLowerInvariant() switch
            {
                "ip" => new RateLimitKeyPart(RateLimitKeyKind.Ip),
                "prefix" => new RateLimitKeyPart(RateLimitKeyKind.Prefix),
                "route" => new RateLimitKeyPart(RateLimitKeyKind.Route),
                "ja4" => new RateLimitKeyPart(RateLimitKeyKind.Ja4),
                "account" when hasAccountField => new RateLimitKeyPart(RateLimitKeyKind.Account),
                "message" when hasMessageField => new RateLimitKeyPart(RateLimitKeyKind.Message),
                _ when raw.StartsWith("header:", StringComparison.OrdinalIgnoreCase) && IsHeaderName(raw["header:".Length..]) =>
                    new RateLimitKeyPart(RateLimitKeyKind.Header, raw["header:".Length..]),
                _ => (RateLimitKeyPart?)null,
            };
            if (part is null)
            {
                var hint = raw.Equals("account", StringComparison.OrdinalIgnoreCase) ? "account keys need the policy's BodyInspection:AccountField"
                    : raw.Equals("message", StringComparison.OrdinalIgnoreCase) ? "message keys need the policy's BodyInspection:MessageField"
                    : "use " + KeyHelp;
                errors.Add($"{path}: '{raw}' is not a key this gateway can count by ({hint}).");
                continue;
            }

            if (parts.Contains(part.Value))
            {
                errors.Add($"{path}: '{raw}' appears twice.");
                continue;
            }

            parts.Add(part.Value);
        }

        return parts.ToArray();
    }

    private const string KeyHelp = "ip, prefix, route, account, message, ja4 or header:<Header-Name>, or several joined with '+' (account+ip)";

    // RFC 9110 token characters.
    private static readonly System.Buffers.SearchValues<char> HeaderNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*.^`|~");

    private static bool IsHeaderName(string name) =>
        name.Length is > 0 and <= 128 && !name.AsSpan().ContainsAnyExcept(HeaderNameChars);
}
