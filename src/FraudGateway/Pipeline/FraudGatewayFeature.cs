using FraudGateway.BodyInspection;
using FraudGateway.Counters;
using FraudGateway.Identity;

namespace FraudGateway.Pipeline;

public sealed class FraudGatewayFeature(GatewayPolicy policy, string routeId) : IFraudGatewayFeature
{
    private List<StageVerdict>? _verdicts;
    private List<string>? _captchaReasons;
    private ClientIdentity? _identity;

    public GatewayPolicy Policy { get; } = policy;

    public string RouteId { get; } = routeId;

    // Set by the first stage; every later stage can rely on it.
    public ClientIdentity Identity
    {
        get => _identity ?? throw new InvalidOperationException("ClientIdentity is resolved by the first stage; a stage ran before it.");
        set => _identity = value;
    }

    public IReadOnlyList<StageVerdict> Verdicts => (IReadOnlyList<StageVerdict>?)_verdicts ?? [];

    // The client's address and prefix as store subjects (HMACs), made by the first stage that needs them.
    public State.BanSubject? AddressSubject { get; set; }

    public State.BanSubject? PrefixSubject { get; set; }

    // Set by body inspection on policies that ask for it.
    public InspectedBody? Body { get; set; }

    // Set by the counters stage: ban flags and every rate-limit decision, from one store round trip.
    // Null when the policy's store checks were skipped (store down and FailOpen) or not reached.
    public CounterResult? Counters { get; set; }

    public GatewayDecision? Decision { get; set; }

    // Set by the scoring stage on policies that score.
    public Scoring.RiskAssessment? Risk { get; set; }

    // Findings that ask for a captcha (a contact-form check set to Challenge); the captcha stage requires one.
    public IReadOnlyList<string> CaptchaReasons => (IReadOnlyList<string>?)_captchaReasons ?? [];

    public void RequireCaptcha(string reason) => (_captchaReasons ??= []).Add(reason);

    public void AddVerdict(string stage, string finding) => (_verdicts ??= []).Add(new StageVerdict(stage, finding));
}
