using FraudGateway.BodyInspection;
using FraudGateway.Identity;
using FraudGateway.Privacy;
using FraudGateway.State;

namespace FraudGateway.Pipeline;

/// <summary>
/// Per-request state shared by the stages of a protected route: each stage reads what earlier ones set. It travels
/// as an argument of every stage (IGatewayStage), not through HttpContext.Features.
/// </summary>
public sealed class FraudGatewayFeature(GatewayPolicy policy, string routeId)
{
    private List<StageVerdict>? _verdicts;
    private List<string>? _captchaReasons;
    private ClientIdentity? _identity;
    private BanSubject? _addressSubject;
    private BanSubject? _prefixSubject;

    public GatewayPolicy Policy { get; } = policy;

    public string RouteId { get; } = routeId;

    /// <summary>
    /// Set by the first stage; every later stage can rely on it.
    /// </summary>
    public ClientIdentity Identity
    {
        get => _identity ?? throw new InvalidOperationException("ClientIdentity is resolved by the first stage; a stage ran before it.");
        set => _identity = value;
    }

    public bool HasIdentity => _identity is not null;

    /// <summary>
    /// Who the client is, with its address and prefix as store subjects, made once here: by the identity stage, or by
    /// an admin lifting a limit for a client.
    /// </summary>
    public void SetClient(ClientIdentity identity, SubjectHasher hasher)
    {
        Identity = identity;
        AddressSubject = BanSubject.ForAddress(identity.Address, hasher);
        PrefixSubject = BanSubject.ForPrefix(identity.Prefix, hasher);
        if (hasher.HasPrevious)
        {
            PreviousKeys = hasher.ActivePrevious(identity.RequestTime)
                .Select(key => new PreviousKeySubjects(key, BanSubject.ForAddress(identity.Address, key), BanSubject.ForPrefix(identity.Prefix, key)))
                .ToArray();
        }
    }

    /// <summary>
    /// During a key rotation: the client's subjects under each previous key still valid (empty otherwise). Lookups
    /// (bans, limits) try these too; nothing is written under them.
    /// </summary>
    public IReadOnlyList<PreviousKeySubjects> PreviousKeys { get; private set; } = [];

    public IReadOnlyList<StageVerdict> Verdicts => (IReadOnlyList<StageVerdict>?)_verdicts ?? [];

    /// <summary>
    /// The client's address and prefix as store subjects (HMACs): made once, by the identity stage, with Identity.
    /// </summary>
    public BanSubject AddressSubject
    {
        get => _addressSubject ?? throw new InvalidOperationException("The client's subjects are made by the identity stage; a stage ran before it.");
        set => _addressSubject = value;
    }

    public BanSubject PrefixSubject
    {
        get => _prefixSubject ?? throw new InvalidOperationException("The client's subjects are made by the identity stage; a stage ran before it.");
        set => _prefixSubject = value;
    }

    /// <summary>
    /// Set by body inspection on policies that ask for it.
    /// </summary>
    public InspectedBody? Body { get; set; }

    /// <summary>
    /// Set by the counters stage: ban flags and every rate-limit decision, from one store round trip.
    /// Null when the policy's store checks were skipped (store down and FailOpen) or not reached.
    /// </summary>
    public CounterResult? Counters { get; set; }

    /// <summary>
    /// Each of the policy's rate limits' verdict on this request, in the policy's order (null before the counters
    /// stage has run): what the rate-limit stage reads, without the store's types.
    /// </summary>
    public RateLimiting.RateLimitDecision[]? LimitDecisions => Counters?.Decisions;

    public GatewayDecision? Decision { get; set; }

    /// <summary>
    /// Set by the scoring stage on policies that score.
    /// </summary>
    public Scoring.RiskAssessment? Risk { get; set; }

    /// <summary>
    /// Findings that ask for a captcha (a contact-form check set to Challenge); the captcha stage requires one.
    /// </summary>
    public IReadOnlyList<string> CaptchaReasons => (IReadOnlyList<string>?)_captchaReasons ?? [];

    public void RequireCaptcha(string reason) => (_captchaReasons ??= []).Add(reason);

    /// <summary>
    /// The ladder's answer to the risk score (the scoring stage): a proof of work or a captcha rung that the captcha
    /// stage enforces; Allow when the score asks for nothing.
    /// </summary>
    public Captcha.LadderStep Challenge { get; set; }

    /// <summary>
    /// The request presented a valid trusted-device token for the account it logs into (Defense:TrustedDevices).
    /// </summary>
    public bool TrustedDevice { get; set; }

    /// <summary>
    /// The request presented a valid pass from a challenge it solved (proof of work or captcha).
    /// </summary>
    public bool PassedChallenge { get; set; }

    /// <summary>
    /// The captcha stage verified a proof of work on this request (its login outcome tells the site-wide defense
    /// whether proofs of work are being solved by people or by an attack).
    /// </summary>
    public bool SolvedProofOfWork { get; set; }

    /// <summary>
    /// The route is defended (a site-wide attack, or an operator's override): the challenge answers untrusted
    /// clients, so no route-wide quota refuses anyone there.
    /// </summary>
    public bool RouteDefended { get; set; }

    /// <summary>
    /// The route's site-wide defense, looked up once by the device-trust stage for the defense stage.
    /// </summary>
    internal Defense.RouteDefense? SiteRoute { get; set; }

    /// <summary>
    /// No route-wide quota applies: a returning device, a client that has just passed a challenge, or a defended route.
    /// </summary>
    public bool SkipsRouteQuota => TrustedDevice || PassedChallenge || RouteDefended;

    /// <summary>
    /// Asks for at least this rung: a higher one already asked for (by scoring or defended mode) is kept.
    /// </summary>
    public void RaiseChallenge(Captcha.LadderStep step)
    {
        if (step.Kind > Challenge.Kind)
        {
            Challenge = step;
        }
    }

    public void AddVerdict(string stage, string finding) => (_verdicts ??= []).Add(new StageVerdict(stage, finding));
}

/// <summary>
/// The client's address and prefix under one previous HMAC key (key rotation).
/// </summary>
public sealed record PreviousKeySubjects(SubjectHasher Key, BanSubject Address, BanSubject Prefix);
