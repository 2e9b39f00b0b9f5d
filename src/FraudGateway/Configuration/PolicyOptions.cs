using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Counters;
using FraudGateway.RateLimiting;
using FraudGateway.Scoring;

namespace FraudGateway.Configuration;

// One protection policy: FraudGateway:Policies:<name>. A YARP route opts in with
// "Metadata": { "FraudGateway.Policy": "<name>" }.
internal sealed class PolicyOptions
{
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];

    // What a request on this policy gets when the store cannot answer in time.
    public StoreFailureMode OnStoreFailure { get; set; } = StoreFailureMode.FailOpen;

    // Exact (default) or Approximate: see Counters/CountingMode.cs. Approximate needs Redis; in memory it counts exactly.
    public Counters.CountingMode Counting { get; set; } = Counters.CountingMode.Exact;

    public List<RateLimitOptions> RateLimits { get; set; } = [];

    public PolicyCaptchaOptions? Captcha { get; set; }

    public BodyInspectionOptions? BodyInspection { get; set; }

    public LoginOutcomeOptions? LoginOutcome { get; set; }

    public PolicyScoringOptions? Scoring { get; set; }

    // Site-wide attack detection, defended mode and trusted devices (login policies).
    public Defense.DefenseOptions? Defense { get; set; }

    // Shadow mode: decide and record everything, enforce nothing (the request is always forwarded).
    public bool Shadow { get; set; }
}
