using FraudGateway.Model;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.Problems;
using FraudGateway.State;

using FraudGateway.Captcha;

namespace FraudGateway.Scoring;

// The scoring stage: the request's features (the same FeatureExtractor the trainer uses) -> the live model -> a risk score
// -> the policy's ladder (ChallengeLadder). Enforce: a score in a challenge band asks the captcha stage, which runs
// next, for that rung's proof of work or captcha (or a valid pass); at or above the block threshold the request is
// refused (403 risk-too-high) only when two independent signal groups each earn a challenge alone
// (IndependentEvidence), otherwise it gets the top challenge rung. Shadow: scored and recorded,
// never enforced. A candidate model, when configured, scores the same vector beside the live one and is never
// enforced; a different decision is logged and counted.
// No model loaded (only possible when scoring was turned on by a reload without a model): scoring is skipped,
// recorded as "model-unavailable" and counted — rules still apply. Scoring is in-process CPU work (a few µs), with
// no I/O to time out.
// The TLS stack is a signal group of its own beside the model's: a known library's (or another browser engine's) JA4
// under a browser's user agent (Tls/TlsStacks) earns a challenge alone and, with one of the model's groups at the block
// threshold, makes the two a block needs. An unknown fingerprint, or none, changes nothing.
// A password in the breach corpus (Credentials) from a device that is not trusted is another such group, the clearest
// sign of credential stuffing there is (FraudGateway:BreachedPasswords:Challenge).
internal sealed partial class ScoringStage(ModelHost models, ArrivalTracker arrivals, GatewayMetrics metrics,
    ILogger<ScoringStage> logger, ILoggerFactory loggers, Tls.TlsStacks stacks, Credentials.BreachedPasswords breachedPasswords) : IGatewayStage
{
    // The decision records' logger (by its category, not its type: Decisions uses Scoring, not the other way).
    private readonly ILogger _decisionLogger = loggers.CreateLogger(LogCategories.DecisionRecords);

    public const string Challenge = "challenge";
    public const string Block = "block";
    public const string Allow = "allow";

    public string Name => "scoring";

    public bool RunsFor(GatewayPolicy policy) => policy.Scoring is { Mode: not ScoringMode.Off };

    public ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature) => ValueTask.FromResult(Evaluate(context, feature));

    private StageResult Evaluate(HttpContext context, FraudGatewayFeature feature)
    {
        var scoring = feature.Policy.Scoring;
        if (scoring is null || scoring.Mode == ScoringMode.Off)
        {
            return StageResult.Continue;
        }

        var model = models.Live;
        if (model is null)
        {
            metrics.Score(feature.Policy.Name, "model-unavailable", scoring.Mode == ScoringMode.Shadow);
            feature.AddVerdict(Name, "model-unavailable");
            return StageResult.Continue;
        }

        Span<float> vector = stackalloc float[FeatureSchema.Count];
        var facts = BuildFacts(context, feature, scoring);
        models.Extractor.Extract(facts, vector);

        var ladder = scoring.Ladder;
        var challengeAt = ladder.ChallengeThreshold(model.Metadata);
        var blockAt = ladder.BlockAt(model.Metadata);
        // The explanation costs several times the score (docs/performance.md, "Design figures"): made when the
        // decision is recorded where someone reads it. When that is known before scoring (feature export, Debug
        // records), the explaining engine gives the score too.
        RiskScore? explained = scoring.RecordFeatures || _decisionLogger.IsEnabled(LogLevel.Debug) ? model.Explain(vector) : null;
        var score = explained?.Probability ?? model.Score(vector);
        var verdict = IndependentEvidence.Decide(model, models.Extractor, facts, score, challengeAt, blockAt, out var evidence);
        if (feature.Identity.SoftwareJa4 is { } ja4 && stacks.Contradicts(ja4, models.Extractor.UserAgents.Analyze(facts.UserAgent).Family) is { } stack)
        {
            feature.AddVerdict(Name, "tls-stack-" + stack.Name);
            (verdict, evidence) = WithGroup(verdict, evidence, "tls-stack");
        }

        if (feature.Body?.BreachedPassword == true && !feature.TrustedDevice && breachedPasswords.Challenges)
        {
            feature.AddVerdict(Name, "breached-password");
            (verdict, evidence) = WithGroup(verdict, evidence, "breached-password");
        }

        var step = ladder.Step(score, verdict, model.Metadata);
        var decision = DecisionName(step);
        var reasons = explained?.Reasons ?? (decision != Allow ? model.Explain(vector).Reasons : []);

        string? candidateVersion = null, candidateDecision = null;
        float? candidateScore = null;
        if (models.Candidate is { } candidate)
        {
            candidateVersion = candidate.Version;
            candidateScore = candidate.Score(vector);
            var candidateVerdict = IndependentEvidence.Decide(candidate, models.Extractor, facts, candidateScore.Value, challengeAt, blockAt, out _);
            candidateDecision = DecisionName(ladder.Step(candidateScore.Value, candidateVerdict, model.Metadata));
            if (candidateDecision != decision)
            {
                metrics.ShadowDisagreement(feature.Policy.Name, decision, candidateDecision);
                Log.Disagreement(logger, context.TraceIdentifier, feature.Policy.Name, model.Version, score, decision, candidate.Version, candidateScore.Value, candidateDecision);
            }
        }

        feature.Risk = new RiskAssessment(model.Version, score, decision, reasons, candidateVersion, candidateScore, candidateDecision,
            vector.ToArray())
        {
            Rung = step.Name,
            Evidence = evidence,
        };
        metrics.Score(feature.Policy.Name, decision, scoring.Mode == ScoringMode.Shadow);
        metrics.RiskScore(feature.Policy.Name, score);

        if (scoring.Mode == ScoringMode.Shadow)
        {
            feature.AddVerdict(Name, "shadow-" + step.Name);
            return StageResult.Continue;
        }

        switch (step.Kind)
        {
            case LadderStepKind.Block:
                return StageResult.Block("risk-score", GatewayProblems.RiskTooHigh);
            case LadderStepKind.ProofOfWork or LadderStepKind.Captcha:
                // Enforced by the captcha stage, which runs next: a solved challenge (or a valid pass) lets it through.
                feature.RaiseChallenge(step);
                feature.AddVerdict(Name, step.Name);
                break;
        }

        return StageResult.Continue;
    }

    // One more independent signal group beside the model's: alone a challenge; with another group (the model's at the
    // block threshold, or another of these) the two a block needs.
    private static (ModelVerdict, string) WithGroup(ModelVerdict verdict, string evidence, string group)
    {
        var groups = evidence is "" or "combined" ? 0 : evidence.AsSpan().Count('+') + 1;
        verdict = verdict == ModelVerdict.Allow ? ModelVerdict.Challenge
            : groups + 1 >= IndependentEvidence.GroupsToBlock ? ModelVerdict.Block : verdict;
        return (verdict, groups == 0 ? group : evidence + "+" + group);
    }

    // The decision's name as records, metrics and the candidate comparison use it: allow, challenge or block (the
    // rung is recorded beside it).
    private static string DecisionName(LadderStep step) => step.Kind switch
    {
        LadderStepKind.Block => Block,
        LadderStepKind.Allow => Allow,
        _ => Challenge,
    };

    private RequestFacts BuildFacts(HttpContext context, FraudGatewayFeature feature, PolicyScoring scoring)
    {
        var request = context.Request;
        var headers = request.Headers;
        var identity = feature.Identity;
        var facts = new RequestFacts
        {
            Ip = identity.Address,
            // The header as sent (the identity's copy is cut to a maximum length): the trainer sees full lengths too.
            UserAgent = headers.UserAgent.ToString(),
            Method = request.Method,
            Accept = headers.Accept.ToString(),
            AcceptLanguage = headers.AcceptLanguage.ToString(),
            AcceptEncoding = headers.AcceptEncoding.ToString(),
            SecFetchSite = headers["Sec-Fetch-Site"].ToString(),
            SecFetchMode = headers["Sec-Fetch-Mode"].ToString(),
            SecFetchDest = headers["Sec-Fetch-Dest"].ToString(),
            SecChUa = headers["Sec-CH-UA"].ToString(),
            ContentType = request.ContentType,
            BodyLength = request.ContentLength ?? -1,
            Timestamp = identity.RequestTime,
        };

        (facts.SecondsSincePrevious, facts.InterArrivalCv) = arrivals.Observe(feature.AddressSubject.Id, identity.RequestTime);

        // A limit's count in its window: its limit minus what remains (distinct limits: distinct values seen;
        // failure limits: failures on record).
        if (feature.Counters is { } counters)
        {
            foreach (var (slot, limit) in scoring.Counters)
            {
                var d = counters.Decisions[limit];
                if (!d.IsUnknown)
                {
                    facts.SetCounter(slot, Math.Max(0, feature.Policy.RateLimits[limit].Limit - d.Remaining));
                }
            }
        }

        if (feature.Body is { } body)
        {
            facts.EmailDisposable = body.EmailDomain is null ? -1 : body.DisposableEmail ? 1 : 0;
            facts.MessageLinks = body.HasMessageField ? body.MessageLinks : -1;
            facts.FormFillSeconds = body.FormFillSeconds;
        }

        return facts;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ScoringDisagreement, EventName = nameof(LogEvents.ScoringDisagreement), Level = LogLevel.Information, Message = "Shadow model disagrees on request {RequestId}, policy {Policy}: live {LiveVersion} {LiveScore:0.0000} {LiveDecision}, candidate {CandidateVersion} {CandidateScore:0.0000} {CandidateDecision}")]
        public static partial void Disagreement(ILogger logger, string requestId, string policy, string liveVersion, float liveScore, string liveDecision, string candidateVersion, float candidateScore, string candidateDecision);
    }
}
