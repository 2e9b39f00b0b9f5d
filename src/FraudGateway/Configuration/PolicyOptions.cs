using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Counters;
using FraudGateway.RateLimiting;
using FraudGateway.Scoring;

namespace FraudGateway.Configuration;

/// <summary>
/// One protection policy: FraudGateway:Policies:&lt;name&gt;. A YARP route opts in with
/// "Metadata": { "FraudGateway.Policy": "&lt;name&gt;" }.
/// </summary>
internal sealed class PolicyOptions
{
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];

    /// <summary>
    /// What a request on this policy gets when the store cannot answer in time.
    /// </summary>
    public StoreFailureMode OnStoreFailure { get; set; } = StoreFailureMode.FailOpen;

    /// <summary>
    /// Exact (default) or Approximate: see Counters/CountingMode.cs. Approximate needs Redis; in memory it counts exactly.
    /// </summary>
    public Counters.CountingMode Counting { get; set; } = Counters.CountingMode.Exact;

    public List<RateLimitOptions> RateLimits { get; set; } = [];

    public PolicyCaptchaOptions? Captcha { get; set; }

    public BodyInspectionOptions? BodyInspection { get; set; }

    public LoginOutcomeOptions? LoginOutcome { get; set; }

    public PolicyScoringOptions? Scoring { get; set; }

    /// <summary>
    /// Site-wide attack detection, defended mode and trusted devices (login policies).
    /// </summary>
    public Defense.DefenseOptions? Defense { get; set; }

    /// <summary>
    /// Shadow mode: decide and record everything, enforce nothing (the request is always forwarded).
    /// </summary>
    public bool Shadow { get; set; }
}
