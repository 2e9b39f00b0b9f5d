using System.Diagnostics.Metrics;
using FraudGateway.Pipeline;

namespace FraudGateway.Observation;

// All gateway instruments, from IMeterFactory, with low-cardinality tags only (never an address or account).
// Each record first asks whether anything listens (Enabled): with no listener, no tag list is built.
internal sealed class GatewayMetrics
{
    public const string MeterName = "FraudGateway";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _storeFailures;
    private readonly Counter<long> _upstreamErrors;
    private readonly Counter<long> _captcha;
    private readonly Counter<long> _loginOutcomes;
    private readonly Counter<long> _scores;
    private readonly Counter<long> _shadowDisagreements;
    private readonly Counter<long> _modelReloads;
    private readonly Histogram<int> _counterCallRequests;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("fraudgateway.decisions", unit: "{request}", description: "Requests on protected routes, by policy, outcome and reason.");
        _storeFailures = meter.CreateCounter<long>("fraudgateway.store.failures", unit: "{operation}", description: "Store operations that failed or timed out.");
        _captcha = meter.CreateCounter<long>("fraudgateway.captcha", unit: "{request}", description: "Captcha checks, by provider and result.");
        _loginOutcomes = meter.CreateCounter<long>("fraudgateway.login.outcomes", unit: "{request}", description: "Login answers of the upstream, by policy and outcome.");
        _scores = meter.CreateCounter<long>("fraudgateway.scoring", unit: "{request}", description: "Scored requests, by policy, model decision and scoring mode.");
        _shadowDisagreements = meter.CreateCounter<long>("fraudgateway.scoring.shadow_disagreements", unit: "{request}", description: "Requests where the candidate model's decision differs from the live model's.");
        _modelReloads = meter.CreateCounter<long>("fraudgateway.model.reloads", unit: "{reload}", description: "Model file reloads, by model (live, candidate) and result.");
        _counterCallRequests = meter.CreateHistogram<int>("fraudgateway.store.requests_per_call", unit: "{request}", description: "Requests carried by one counters.lua call to a single Redis.");
        _upstreamErrors = meter.CreateCounter<long>("fraudgateway.upstream.errors", unit: "{request}", description: "Requests the upstream could not answer, by YARP error.");
    }

    public void Decision(string policy, GatewayOutcome outcome, string reason, bool enforced = true)
    {
        if (_decisions.Enabled)
        {
            _decisions.Add(1, new("policy", policy), new("outcome", OutcomeTag(outcome)), new("reason", reason), new("enforced", enforced));
        }
    }

    public void StoreFailure(string operation, string error)
    {
        if (_storeFailures.Enabled)
        {
            _storeFailures.Add(1, new("operation", operation), new("error", error));
        }
    }

    public void Captcha(string provider, string result)
    {
        if (_captcha.Enabled)
        {
            _captcha.Add(1, new("provider", provider), new("result", result));
        }
    }

    public void LoginOutcome(string policy, string outcome)
    {
        if (_loginOutcomes.Enabled)
        {
            _loginOutcomes.Add(1, new("policy", policy), new("outcome", outcome));
        }
    }

    public void Score(string policy, string decision, Scoring.ScoringMode mode)
    {
        if (_scores.Enabled)
        {
            _scores.Add(1, new("policy", policy), new("decision", decision), new("mode", mode == Scoring.ScoringMode.Shadow ? "shadow" : "enforce"));
        }
    }

    public void ShadowDisagreement(string policy, string live, string candidate)
    {
        if (_shadowDisagreements.Enabled)
        {
            _shadowDisagreements.Add(1, new("policy", policy), new("live", live), new("candidate", candidate));
        }
    }

    public void ModelReload(string model, string result)
    {
        if (_modelReloads.Enabled)
        {
            _modelReloads.Add(1, new("model", model), new("result", result));
        }
    }

    public void CounterCall(int requests)
    {
        if (_counterCallRequests.Enabled)
        {
            _counterCallRequests.Record(requests);
        }
    }

    public void UpstreamError(string error)
    {
        if (_upstreamErrors.Enabled)
        {
            _upstreamErrors.Add(1, new KeyValuePair<string, object?>("error", error));
        }
    }

    private static string OutcomeTag(GatewayOutcome outcome) => outcome switch
    {
        GatewayOutcome.Allow => "allow",
        GatewayOutcome.Challenge => "challenge",
        _ => "block",
    };
}
