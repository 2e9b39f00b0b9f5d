using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Counters;
using FraudGateway.Networking;
using FraudGateway.RateLimiting;

namespace FraudGateway.Pipeline;

// A protection policy after parsing: what the stages read on every request.
public sealed class GatewayPolicy
{
    public required string Name { get; init; }

    public required CidrSet Allow { get; init; }

    public required CidrSet Deny { get; init; }

    public StoreFailureMode OnStoreFailure { get; init; }

    public Counters.CountingMode Counting { get; init; }

    public RateLimitRule[] RateLimits
    {
        get;
        init
        {
            field = value;
            HasFailureLimits = value.Any(r => r.CountsFailures);
            HasOutcomeLimits = value.Any(r => r.CountsFailures || r.CountsSuccesses);
            AddressLimitCount = value.Count(r => r.KeyParts[0].Kind == RateLimitKeyKind.Ip);
            PrefixLimitCount = value.Count(r => r.KeyParts[0].Kind == RateLimitKeyKind.Prefix);
        }
    } = [];

    public BodyInspectionSettings? BodyInspection { get; init; }

    // Status codes of the upstream that mean a failed login; null when the policy does not watch login outcomes.
    public IReadOnlySet<int>? LoginFailureStatusCodes { get; init; }

    // A 2xx JSON answer with this top-level field set to one of LoginFailureJsonValues is a failed login.
    public string? LoginJsonField { get; init; }

    public IReadOnlySet<string> LoginFailureJsonValues { get; init; } = new HashSet<string>();

    // Set with RateLimits, so the per-request check is a field read.
    public bool HasFailureLimits { get; private init; }

    // Some limit is counted after the upstream answers (failures, or the site-wide detector's successes).
    public bool HasOutcomeLimits { get; private init; }

    // A successful login earns the client a trusted-device token (Defense:TrustedDevices).
    public bool IssuesDeviceTokens => Defense?.TrustedDevices is not null;

    // Set with RateLimits: how many limits are keyed first by the client's address, and by its prefix (the sizes of
    // a request's two subject groups).
    public int AddressLimitCount { get; private init; }

    public int PrefixLimitCount { get; private init; }

    // Null when the policy never asks for a captcha.
    public PolicyCaptcha? Captcha { get; init; }

    // Null or Mode Off: rules only.
    public Scoring.PolicyScoring? Scoring { get; init; }

    // The model's verdicts are enforced (Scoring Mode Enforce): its challenges go to the captcha stage.
    public bool EnforcesScoring => Scoring is { Mode: FraudGateway.Scoring.ScoringMode.Enforce };

    // Site-wide attack detection, defended mode and trusted devices; null when the policy has no Defense section.
    public Defense.DefenseSettings? Defense { get; init; }

    // The whole decision is recorded but not enforced: every request is forwarded.
    public bool Shadow { get; init; }

    // The RateLimit-Policy field value for this policy, built once: "ip-minute";q=5;w=60, "ip-hour";q=30;w=3600
    public string? RateLimitPolicyHeader { get; init; }
}
