using System.Collections.Frozen;
using FraudGateway.Captcha;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.RateLimiting;

namespace FraudGateway.Configuration;

// Binds and validates the FraudGateway section (and the policy names YARP routes refer to),
// collecting every problem instead of stopping at the first.
public static class GatewayConfigLoader
{
    public const string PolicyMetadataKey = "FraudGateway.Policy";

    public sealed record Result(FraudGatewayOptions Options, GatewaySettings? Settings, IReadOnlyList<string> Errors);

    // startup: also validate the settings that only take effect at start (listeners, store, privacy key).
    // A reload checks only what a reload can change: identity, access lists, policies and route policy names.
    public static Result Load(IConfiguration configuration, bool startup = true)
    {
        var errors = new List<string>();
        var root = configuration.GetSection(FraudGatewayOptions.SectionName);
        var options = new FraudGatewayOptions
        {
            Identity = Bind<ClientIdentityOptions>(root, "Identity", errors),
            AccessLists = Bind<AccessListOptions>(root, "AccessLists", errors),
            Store = Bind<StoreOptions>(root, "Store", errors),
            Management = Bind<ManagementOptions>(root, "Management", errors),
            Privacy = Bind<PrivacyOptions>(root, "Privacy", errors),
            Upstream = Bind<UpstreamOptions>(root, "Upstream", errors),
            Captcha = Bind<CaptchaOptions>(root, "Captcha", errors),
            EmailDomains = Bind<EmailDomainsOptions>(root, "EmailDomains", errors),
            Model = Bind<ModelOptions>(root, "Model", errors),
        };
        foreach (var policySection in root.GetSection("Policies").GetChildren())
        {
            options.Policies[policySection.Key] = Bind<PolicyOptions>(root.GetSection("Policies"), policySection.Key, errors);
        }

        var identity = BuildIdentity(options.Identity, errors);
        var globalAllow = CidrSet.Parse(options.AccessLists.Allow, "FraudGateway:AccessLists:Allow", errors);
        var globalDeny = CidrSet.Parse(options.AccessLists.Deny, "FraudGateway:AccessLists:Deny", errors);
        var policies = new Dictionary<string, GatewayPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, policy) in options.Policies)
        {
            var path = $"FraudGateway:Policies:{name}";
            if (name.Length > 64 || name.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."))
            {
                errors.Add($"{path}: policy names are 1-64 letters, digits, '-', '_' or '.'.");
            }

            var hasCaptcha = policy.Captcha is not null && !string.Equals(policy.Captcha.Mode, "Never", StringComparison.OrdinalIgnoreCase);
            var body = ParseBodyInspection(policy.BodyInspection, path + ":BodyInspection", errors, hasCaptcha);
            var failureCodes = ParseLoginOutcome(policy.LoginOutcome, path + ":LoginOutcome", errors);
            var rateLimits = RateLimitRuleParser.Parse(name, policy.RateLimits, path + ":RateLimits", errors,
                hasAccountField: body?.AccountField is not null, hasLoginOutcome: failureCodes is not null, hasMessageField: body?.MessageField is not null);
            policies[name] = new GatewayPolicy
            {
                Name = name,
                Allow = CidrSet.Parse(policy.Allow, path + ":Allow", errors),
                Deny = CidrSet.Parse(policy.Deny, path + ":Deny", errors),
                OnStoreFailure = policy.OnStoreFailure,
                RateLimits = rateLimits,
                Captcha = ParsePolicyCaptcha(policy.Captcha, options.Captcha, path + ":Captcha", errors),
                BodyInspection = body,
                LoginFailureStatusCodes = failureCodes,
                LoginJsonField = string.IsNullOrWhiteSpace(policy.LoginOutcome?.JsonField) ? null : policy.LoginOutcome.JsonField.Trim(),
                LoginFailureJsonValues = (policy.LoginOutcome?.FailureJsonValues ?? []).ToHashSet(StringComparer.Ordinal),
                RateLimitPolicyHeader = rateLimits.Length == 0 ? null : string.Join(", ", rateLimits.Select(r => r.PolicyItem)),
                Scoring = ParseScoring(policy.Scoring, rateLimits, hasCaptcha, path + ":Scoring", errors),
                Shadow = policy.Shadow,
            };
        }

        if (startup)
        {
            ValidateCaptcha(options.Captcha, errors);
            ValidateStore(options.Store, errors);
            ValidateManagement(options.Management, configuration, errors);
            ValidatePrivacy(options.Privacy, configuration, errors);
            if (options.Upstream.ConnectTimeoutMs is < 1 or > 60_000)
            {
                errors.Add("FraudGateway:Upstream:ConnectTimeoutMs must be between 1 and 60000.");
            }
        }

        ValidateRoutePolicies(configuration, policies.Keys, errors);

        var settings = errors.Count > 0
            ? null
            : new GatewaySettings
            {
                Identity = identity,
                GlobalAllow = globalAllow,
                GlobalDeny = globalDeny,
                Policies = policies.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
            };
        return new Result(options, settings, errors);
    }

    // Routes that name a policy which does not exist would otherwise run unprotected: refuse them.
    public static IEnumerable<(string RouteId, string Policy)> RoutePolicies(IConfiguration configuration)
    {
        foreach (var route in configuration.GetSection("ReverseProxy:Routes").GetChildren())
        {
            var policy = route.GetSection("Metadata")[PolicyMetadataKey];
            if (policy is not null)
            {
                yield return (route.Key, policy);
            }
        }
    }

    private static void ValidateRoutePolicies(IConfiguration configuration, IEnumerable<string> policyNames, List<string> errors)
    {
        var known = policyNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (routeId, policy) in RoutePolicies(configuration))
        {
            if (!known.Contains(policy))
            {
                errors.Add($"ReverseProxy:Routes:{routeId} names protection policy '{policy}', which is not defined under FraudGateway:Policies.");
            }
        }
    }

    private static Scoring.PolicyScoring? ParseScoring(PolicyScoringOptions? options, RateLimitRule[] rateLimits, bool hasCaptcha, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        if (!Enum.TryParse<Scoring.ScoringMode>(options.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            errors.Add($"{path}:Mode '{options.Mode}' is not one of Enforce, Shadow, Off.");
        }

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

        if (mode == Scoring.ScoringMode.Enforce && !hasCaptcha && options.ChallengeThreshold is not null && options.ChallengeThreshold < (options.BlockThreshold ?? 1))
        {
            errors.Add($"{path}: a ChallengeThreshold below the BlockThreshold needs a Captcha section on the policy to challenge with.");
        }

        var counters = new List<(int, int)>();
        foreach (var (feature, limitName) in options.Counters)
        {
            if (!Model.FeatureSchema.CounterSlots.TryGetValue(feature, out var slot))
            {
                errors.Add($"{path}:Counters:{feature} is not a counter feature ({string.Join(", ", Scoring.PolicyScoring.CounterNames)}).");
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

        return new Scoring.PolicyScoring
        {
            Mode = mode,
            ChallengeThreshold = options.ChallengeThreshold,
            BlockThreshold = options.BlockThreshold,
            RecordFeatures = options.RecordFeatures,
            Counters = [.. counters],
        };
    }

    private static T Bind<T>(IConfigurationSection parent, string key, List<string> errors)
        where T : new()
    {
        var section = parent.GetSection(key);
        try
        {
            return section.Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            errors.Add($"{section.Path}: {e.Message}");
            return new T();
        }
    }

    private static BodyInspection.BodyInspectionSettings? ParseBodyInspection(BodyInspectionOptions? options, string path, List<string> errors, bool hasCaptcha)
    {
        if (options is null)
        {
            return null;
        }

        if (options.MaxBodyBytes is < 1024 or > 1024 * 1024)
        {
            errors.Add($"{path}:MaxBodyBytes must be between 1024 and 1048576 (was {options.MaxBodyBytes}).");
        }

        var reject = string.Equals(options.OnInvalidBody, "Reject", StringComparison.OrdinalIgnoreCase);
        if (!reject && !string.Equals(options.OnInvalidBody, "PassThrough", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:OnInvalidBody '{options.OnInvalidBody}' is unknown; use Reject or PassThrough.");
        }

        BodyInspection.SignalAction Action(string value, string name)
        {
            if (Enum.TryParse<BodyInspection.SignalAction>(value, ignoreCase: true, out var action) && Enum.IsDefined(action) && !int.TryParse(value, out _))
            {
                if (action == BodyInspection.SignalAction.Challenge && !hasCaptcha)
                {
                    errors.Add($"{path}:{name} Challenge needs the policy's Captcha (with a Mode other than Never).");
                }

                return action;
            }

            errors.Add($"{path}:{name} '{value}' is unknown; use Block, Challenge or Record.");
            return BodyInspection.SignalAction.Record;
        }

        if (options.MinFillSeconds is < 0 or > 3600 || options.MaxFormAgeSeconds is < 10 or > 7 * 86400 || options.MinFillSeconds >= options.MaxFormAgeSeconds)
        {
            errors.Add($"{path}: MinFillSeconds (0-3600) must be less than MaxFormAgeSeconds (10-604800).");
        }

        static string? Field(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        return new BodyInspection.BodyInspectionSettings
        {
            MaxBodyBytes = options.MaxBodyBytes,
            AccountField = Field(options.AccountField),
            EmailField = Field(options.EmailField),
            MessageField = Field(options.MessageField),
            HoneypotField = Field(options.HoneypotField),
            RejectInvalid = reject,
            OnHoneypot = Action(options.OnHoneypot, "OnHoneypot"),
            FormTokenField = Field(options.FormTokenField),
            MinFillSeconds = options.MinFillSeconds,
            MaxFormAgeSeconds = options.MaxFormAgeSeconds,
            OnFormToken = Action(options.OnFormToken, "OnFormToken"),
            OnDisposableEmail = Action(options.OnDisposableEmail, "OnDisposableEmail"),
        };
    }

    private static IReadOnlySet<int>? ParseLoginOutcome(LoginOutcomeOptions? options, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        if (options.FailureStatusCodes.Count == 0 || options.FailureStatusCodes.Any(c => c is < 300 or > 599))
        {
            errors.Add($"{path}:FailureStatusCodes must list status codes from 300 to 599 (2xx means success).");
        }

        if (!string.IsNullOrWhiteSpace(options.JsonField) && options.FailureJsonValues.Count == 0)
        {
            errors.Add($"{path}:JsonField needs FailureJsonValues (e.g. [\"false\"]).");
        }

        return options.FailureStatusCodes.ToHashSet();
    }

    private static PolicyCaptcha? ParsePolicyCaptcha(PolicyCaptchaOptions? options, CaptchaOptions global, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        if (!Enum.TryParse<CaptchaMode>(options.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(options.Mode, out _))
        {
            errors.Add($"{path}:Mode '{options.Mode}' is unknown; use Never, Always or WhenRisky.");
        }

        if (mode != CaptchaMode.Never && (string.IsNullOrEmpty(options.Provider) || !global.Providers.ContainsKey(options.Provider)))
        {
            errors.Add($"{path}:Provider '{options.Provider}' is not defined under FraudGateway:Captcha:Providers.");
        }

        if (options.MinScore is < 0 or > 1)
        {
            errors.Add($"{path}:MinScore must be between 0 and 1 (was {options.MinScore}).");
        }

        if (options.RiskyAfterQuotaFraction is <= 0 or > 1)
        {
            errors.Add($"{path}:RiskyAfterQuotaFraction must be more than 0 and at most 1 (was {options.RiskyAfterQuotaFraction}).");
        }

        var failOpen = string.Equals(options.OnProviderFailure, "FailOpen", StringComparison.OrdinalIgnoreCase);
        if (!failOpen && !string.Equals(options.OnProviderFailure, "FailClosed", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:OnProviderFailure '{options.OnProviderFailure}' is unknown; use FailOpen or FailClosed.");
        }

        return mode == CaptchaMode.Never ? null : new PolicyCaptcha
        {
            Mode = mode,
            Provider = options.Provider ?? "",
            Action = string.IsNullOrEmpty(options.Action) ? null : options.Action,
            MinScore = options.MinScore,
            RiskyAfterQuotaFraction = options.RiskyAfterQuotaFraction,
            FailOpen = failOpen,
        };
    }

    private static void ValidateCaptcha(CaptchaOptions options, List<string> errors)
    {
        const string path = "FraudGateway:Captcha";
        if (string.IsNullOrWhiteSpace(options.TokenHeader))
        {
            errors.Add($"{path}:TokenHeader must not be empty.");
        }

        if (options.MaxTokenAgeSeconds is < 1 or > 3600)
        {
            errors.Add($"{path}:MaxTokenAgeSeconds must be between 1 and 3600 (was {options.MaxTokenAgeSeconds}).");
        }

        if (options.ProviderTimeoutMs is < 100 or > 10_000)
        {
            errors.Add($"{path}:ProviderTimeoutMs must be between 100 and 10000 (was {options.ProviderTimeoutMs}).");
        }

        if (options.MaxBodyBytes is < 1024 or > 1024 * 1024)
        {
            errors.Add($"{path}:MaxBodyBytes must be between 1024 and 1048576 (was {options.MaxBodyBytes}).");
        }

        if (options.Pass.LifetimeSeconds is < 0 or > 86_400)
        {
            errors.Add($"{path}:Pass:LifetimeSeconds must be between 0 and 86400 (was {options.Pass.LifetimeSeconds}).");
        }

        foreach (var (name, provider) in options.Providers)
        {
            var at = $"{path}:Providers:{name}";
            if (!Enum.TryParse<CaptchaProviderType>(provider.Type, ignoreCase: true, out var type) || !Enum.IsDefined(type) || int.TryParse(provider.Type, out _))
            {
                errors.Add($"{at}:Type '{provider.Type}' is unknown; use Turnstile, HCaptcha, RecaptchaV2, RecaptchaV3 or ProofOfWork.");
                continue;
            }

            if (type == CaptchaProviderType.ProofOfWork)
            {
                if (provider.Difficulty is < 1 or > 32)
                {
                    errors.Add($"{at}:Difficulty must be between 1 and 32 leading zero bits (was {provider.Difficulty}).");
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(provider.SiteKey))
            {
                errors.Add($"{at}:SiteKey is required.");
            }

            if (string.IsNullOrWhiteSpace(provider.Secret))
            {
                errors.Add($"{at}:Secret is required (set it through the environment: FraudGateway__Captcha__Providers__{name}__Secret).");
            }

            if (provider.VerifyUrl is not null && (!Uri.TryCreate(provider.VerifyUrl, UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttps && !(provider.Simulated && url.Scheme == Uri.UriSchemeHttp))))
            {
                errors.Add($"{at}:VerifyUrl must be an absolute https URL (http only with Simulated: true).");
            }

            if (provider.Simulated && provider.VerifyUrl is null)
            {
                errors.Add($"{at}: Simulated needs the simulator's VerifyUrl.");
            }
        }
    }

    private static ClientIdentitySettings BuildIdentity(ClientIdentityOptions options, List<string> errors)
    {
        const string path = "FraudGateway:Identity";
        if (options.Ipv4PrefixLength is < 1 or > 32)
        {
            errors.Add($"{path}:Ipv4PrefixLength must be between 1 and 32 (was {options.Ipv4PrefixLength}).");
        }

        if (options.Ipv6PrefixLength is < 1 or > 128)
        {
            errors.Add($"{path}:Ipv6PrefixLength must be between 1 and 128 (was {options.Ipv6PrefixLength}).");
        }

        if (options.MaxForwardedHops is < 1 or > 64)
        {
            errors.Add($"{path}:MaxForwardedHops must be between 1 and 64 (was {options.MaxForwardedHops}).");
        }

        if (options.MaxUserAgentChars is < 16 or > 16_384)
        {
            errors.Add($"{path}:MaxUserAgentChars must be between 16 and 16384 (was {options.MaxUserAgentChars}).");
        }

        if (string.IsNullOrWhiteSpace(options.ForwardedForHeader))
        {
            errors.Add($"{path}:ForwardedForHeader must not be empty.");
        }

        return new ClientIdentitySettings
        {
            TrustedProxies = CidrSet.Parse(options.TrustedProxies, path + ":TrustedProxies", errors),
            ForwardedForHeader = options.ForwardedForHeader,
            MaxForwardedHops = options.MaxForwardedHops,
            Ipv4PrefixLength = options.Ipv4PrefixLength,
            Ipv6PrefixLength = options.Ipv6PrefixLength,
            MaxUserAgentChars = options.MaxUserAgentChars,
        };
    }

    private static void ValidateStore(StoreOptions options, List<string> errors)
    {
        if (options.OperationTimeoutMs is < 1 or > 10_000)
        {
            errors.Add($"FraudGateway:Store:OperationTimeoutMs must be between 1 and 10000 (was {options.OperationTimeoutMs}).");
        }

        if (options.OverLimitCacheMaxEntries is < 0 or > 10_000_000)
        {
            errors.Add($"FraudGateway:Store:OverLimitCacheMaxEntries must be between 0 and 10000000 (was {options.OverLimitCacheMaxEntries}).");
        }

        if (options.MaxRequestsPerCall is < 1 or > 256)
        {
            errors.Add($"FraudGateway:Store:MaxRequestsPerCall must be between 1 and 256 (was {options.MaxRequestsPerCall}).");
        }

        if (options.RedisSocketManager is not ("ThreadPool" or "Dedicated"))
        {
            errors.Add($"FraudGateway:Store:RedisSocketManager must be ThreadPool or Dedicated (was '{options.RedisSocketManager}').");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.AsSpan().IndexOfAny("{}: ") >= 0)
        {
            errors.Add("FraudGateway:Store:KeyPrefix must be non-empty and contain no '{', '}', ':' or spaces.");
        }
    }

    private static void ValidateManagement(ManagementOptions options, IConfiguration configuration, List<string> errors)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.Port <= 0 || url.AbsolutePath != "/")
        {
            errors.Add($"FraudGateway:Management:Url must be an http URL with an explicit non-zero port and no path (was '{options.Url}').");
        }
        else if (PublicPorts(configuration).Contains(url.Port))
        {
            errors.Add($"FraudGateway:Management:Url uses port {url.Port}, which is also a public port in Urls; the management port must be separate.");
        }

        if (options.ApiKey.Length is > 0 and < 16)
        {
            errors.Add("FraudGateway:Management:ApiKey must be at least 16 characters.");
        }
    }

    private static void ValidatePrivacy(PrivacyOptions options, IConfiguration configuration, List<string> errors)
    {
        if (options.HmacKey.Length is > 0 and < 32)
        {
            errors.Add("FraudGateway:Privacy:HmacKey must be at least 32 characters.");
        }
        else if (options.HmacKey.Length == 0 && !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
        {
            errors.Add("FraudGateway:Privacy:HmacKey is required when ConnectionStrings:Redis is set: every instance sharing the store must derive the same keys.");
        }
    }

    internal static IEnumerable<int> PublicPorts(IConfiguration configuration)
    {
        var urls = configuration["Urls"] ?? configuration["ASPNETCORE_URLS"] ?? "";
        foreach (var part in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalized = part.Replace("://*", "://localhost").Replace("://+", "://localhost");
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
            {
                yield return uri.Port;
            }
        }
    }
}
