using FraudGateway.AccessLists;
using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Decisions;
using FraudGateway.Forwarding;
using FraudGateway.Identity;
using FraudGateway.Management;
using FraudGateway.Privacy;
using FraudGateway.Scoring;
using FraudGateway.State;

namespace FraudGateway.Configuration;

/// <summary>
/// The whole "FraudGateway" section. Each stage binds its own sub-section; see GatewayConfigLoader.
/// </summary>
internal sealed class FraudGatewayOptions
{
    public const string SectionName = "FraudGateway";

    public ClientIdentityOptions Identity { get; set; } = new();

    public AccessListOptions AccessLists { get; set; } = new();

    public StoreOptions Store { get; set; } = new();

    public ManagementOptions Management { get; set; } = new();

    public PrivacyOptions Privacy { get; set; } = new();

    public UpstreamOptions Upstream { get; set; } = new();

    public CaptchaOptions Captcha { get; set; } = new();

    public EmailDomainsOptions EmailDomains { get; set; } = new();

    public ModelOptions Model { get; set; } = new();

    public DecisionOptions Decisions { get; set; } = new();

    public Observation.MetricsOptions Metrics { get; set; } = new();

    public Credentials.BreachedPasswordsOptions BreachedPasswords { get; set; } = new();

    public Dictionary<string, PolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
