using System.Collections.Frozen;
using FraudGateway.AccessLists;
using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Defense;
using FraudGateway.Counters;
using FraudGateway.Forwarding;
using FraudGateway.Identity;
using FraudGateway.Management;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.RateLimiting;
using FraudGateway.Scoring;
using FraudGateway.State;
using FraudGateway.Validation;

namespace FraudGateway.Configuration;

// Binds the FraudGateway section and hands each part to the parser beside its feature, collecting every problem
// with its configuration path instead of stopping at the first; checks the policy names YARP routes refer to.
internal static class GatewayConfigLoader
{
    public const string PolicyMetadataKey = "FraudGateway.Policy";

    public sealed record Result(FraudGatewayOptions Options, GatewaySettings? Settings, IReadOnlyList<string> Errors);

    // startup: also validate the settings that only take effect at start (listeners, store, privacy key, captcha
    // providers, upstream). A reload checks only what a reload can change: identity, access lists, policies, routes.
    public static Result Load(IConfiguration configuration, bool startup = true)
    {
        var errors = new List<string>();
        var options = Bind(configuration.GetSection(FraudGatewayOptions.SectionName), errors);
        var identity = ClientIdentityOptionsParser.Parse(options.Identity, errors);
        var globalAllow = CidrSet.Parse(options.AccessLists.Allow, "FraudGateway:AccessLists:Allow", errors);
        var globalDeny = CidrSet.Parse(options.AccessLists.Deny, "FraudGateway:AccessLists:Deny", errors);
        var policies = new Dictionary<string, GatewayPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, policy) in options.Policies)
        {
            policies[name] = ParsePolicy(name, policy, options.Captcha, errors);
        }

        if (startup)
        {
            CaptchaOptionsParser.Validate(options.Captcha, errors);
            StoreOptionsValidator.Validate(options.Store, errors);
            ManagementOptionsValidator.Validate(options.Management, configuration, errors);
            PrivacyOptionsValidator.Validate(options.Privacy, configuration, errors);
            Observation.Telemetry.Parse(configuration, errors);
            ExampleSecrets.Validate(options, configuration, errors);
            ConfigCheck.Range(options.Upstream.ConnectTimeoutMs, 1, 60_000, "FraudGateway:Upstream:ConnectTimeoutMs", errors);
            Credentials.BreachedPasswordsOptions.Validate(options.BreachedPasswords, errors);
            ConfigCheck.Range(options.Decisions.MaxEntriesPerPolicy, 1, 1_000_000, "FraudGateway:Decisions:MaxEntriesPerPolicy", errors);
            ConfigCheck.Range(options.Decisions.TtlSeconds, 60, 30 * 24 * 3600, "FraudGateway:Decisions:TtlSeconds", errors);
            ConfigCheck.Range(options.Decisions.MaxRecordsPerSecond, 1, 100_000, "FraudGateway:Decisions:MaxRecordsPerSecond", errors);
        }

        foreach (var (routeId, policy) in PolicyRouteConfigFilter.RoutePolicies(configuration))
        {
            if (PolicyRouteConfigFilter.MissingPolicy(configuration, routeId, policy) is { } error)
            {
                errors.Add(error);
            }
        }

        return new Result(options, errors.Count > 0 ? null : new GatewaySettings
        {
            Identity = identity,
            GlobalAllow = globalAllow,
            GlobalDeny = globalDeny,
            Policies = policies.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
        }, errors);
    }

    // At start: a gateway with nothing to protect is a mistake (usually a missing appsettings.json), not a quiet
    // success that answers 404 to everything and says it is ready.
    public static List<string> NothingToProtect(IConfiguration configuration)
    {
        var errors = new List<string>();
        if (!configuration.GetSection($"{FraudGatewayOptions.SectionName}:Policies").GetChildren().Any())
        {
            errors.Add($"{FraudGatewayOptions.SectionName}:Policies: no policy is configured; every request would pass unprotected.");
        }

        if (!configuration.GetSection("ReverseProxy:Routes").GetChildren().Any())
        {
            errors.Add("ReverseProxy:Routes: no route is configured; every request would answer 404.");
        }

        return errors;
    }

    private static GatewayPolicy ParsePolicy(string name, PolicyOptions policy, CaptchaOptions captcha, List<string> errors)
    {
        var path = $"FraudGateway:Policies:{name}";
        if (name.Length > 64 || name.AsSpan().ContainsAnyExcept(ConfigCheck.NameChars))
        {
            errors.Add($"{path}: policy names are 1-64 letters, digits, '-', '_' or '.'.");
        }

        var hasCaptcha = CaptchaOptionsParser.AsksForCaptcha(policy.Captcha);
        var policyCaptcha = CaptchaOptionsParser.ParsePolicy(policy.Captcha, captcha, path + ":Captcha", errors);
        var body = BodyInspectionOptionsParser.Parse(policy.BodyInspection, path + ":BodyInspection", errors, hasCaptcha);
        var failureCodes = LoginOutcomeOptionsParser.Parse(policy.LoginOutcome, path + ":LoginOutcome", errors);
        var limits = RateLimitRuleParser.Parse(name, policy.RateLimits, path + ":RateLimits", errors,
            hasAccountField: body?.AccountField is not null, hasLoginOutcome: failureCodes is not null, hasMessageField: body?.MessageField is not null).ToList();
        var defense = DefenseOptionsParser.Parse(policy.Defense, name, watchesLogins: failureCodes is not null, limits, path + ":Defense", errors);
        var rateLimits = limits.ToArray();
        return new GatewayPolicy
        {
            Name = name,
            Allow = CidrSet.Parse(policy.Allow, path + ":Allow", errors),
            Deny = CidrSet.Parse(policy.Deny, path + ":Deny", errors),
            OnStoreFailure = policy.OnStoreFailure,
            Counting = policy.Counting,
            RateLimits = rateLimits,
            Captcha = policyCaptcha,
            BodyInspection = body,
            LoginFailureStatusCodes = failureCodes,
            LoginJsonField = string.IsNullOrWhiteSpace(policy.LoginOutcome?.JsonField) ? null : policy.LoginOutcome.JsonField.Trim(),
            LoginFailureJsonValues = (policy.LoginOutcome?.FailureJsonValues ?? []).ToHashSet(StringComparer.Ordinal),
            RateLimitPolicyHeader = rateLimits.All(r => r.Internal) ? null : string.Join(", ", rateLimits.Where(r => !r.Internal).Select(r => r.PolicyItem)),
            Defense = defense,
            Scoring = PolicyScoringParser.Parse(policy.Scoring, rateLimits, policyCaptcha, captcha, path + ":Scoring", errors,
                policy.RateLimits.Select(r => r.Name).ToList()),
            Shadow = policy.Shadow,
        };
    }

    // Each sub-section on its own: one that does not bind is reported with its path, the others are still checked;
    // unknown keys, enum values and numbers are checked first (OptionsShape), each with its own path.
    private static FraudGatewayOptions Bind(IConfigurationSection root, List<string> errors)
    {
        OptionsShape.CheckKeys(typeof(FraudGatewayOptions), root, errors);
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
            Decisions = Bind<Decisions.DecisionOptions>(root, "Decisions", errors),
            Metrics = Bind<Observation.MetricsOptions>(root, "Metrics", errors),
            BreachedPasswords = Bind<Credentials.BreachedPasswordsOptions>(root, "BreachedPasswords", errors),
        };
        foreach (var policySection in root.GetSection("Policies").GetChildren())
        {
            options.Policies[policySection.Key] = Bind<PolicyOptions>(root.GetSection("Policies"), policySection.Key, errors);
        }

        return options;
    }

    private static T Bind<T>(IConfigurationSection parent, string key, List<string> errors)
        where T : new()
    {
        var section = parent.GetSection(key);
        var refused = OptionsShape.Check(typeof(T), section, errors);
        try
        {
            return (refused.Count == 0 ? section : OptionsShape.Without(section, refused)).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            errors.Add($"{section.Path}: {e.Message}");
            return new T();
        }
    }
}
