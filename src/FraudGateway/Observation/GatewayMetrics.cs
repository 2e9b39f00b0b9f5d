using System.Diagnostics.Metrics;

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
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _storeDuration;
    private readonly Histogram<double> _captchaDuration;
    private readonly Histogram<double> _riskScore;
    private readonly Counter<long> _overLimitCacheHits;
    private readonly Counter<long> _unrecorded;
    private readonly Counter<long> _passwordChecks;
    private readonly Counter<long> _ja4HeadersIgnored;
    private long _breachedCorpusSize;

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
        _stageDuration = meter.CreateHistogram<double>("fraudgateway.stage.duration", unit: "s", description: "Time each pipeline stage took on a protected request, by stage and policy.");
        _storeDuration = meter.CreateHistogram<double>("fraudgateway.store.duration", unit: "s", description: "Redis store operations, by operation and result (ok, error, timeout): their count and latency.");
        _captchaDuration = meter.CreateHistogram<double>("fraudgateway.captcha.verify.duration", unit: "s", description: "Calls to a captcha provider's verification, by provider and result (answered, failed).");
        _riskScore = meter.CreateHistogram<double>("fraudgateway.scoring.score", unit: "1", description: "Risk scores of the live model, by policy.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99] });
        _overLimitCacheHits = meter.CreateCounter<long>("fraudgateway.counters.over_limit_cache_hits", unit: "{request}", description: "Requests refused from the in-process over-limit cache without a store call, by policy.");
        _ja4HeadersIgnored = meter.CreateCounter<long>("fraudgateway.tls.ja4_headers_ignored", unit: "{request}", description: "Requests whose JA4 header was not believed: from a peer that is not a trusted proxy, or not in JA4's shape.");
        _passwordChecks = meter.CreateCounter<long>("fraudgateway.passwords.checked", unit: "{request}", description: "Login passwords checked against the breach corpus, by policy and result (breached, clean, unchecked).");
        meter.CreateObservableGauge("fraudgateway.passwords.corpus_size", () => Volatile.Read(ref _breachedCorpusSize), unit: "{hash}", description: "Password hashes in the breach corpus in use.");
        _unrecorded = meter.CreateCounter<long>("fraudgateway.decisions.unrecorded", unit: "{request}", description: "Decisions not written to the decision store because the policy's records per second were used up, by policy.");
        _upstreamErrors = meter.CreateCounter<long>("fraudgateway.upstream.errors", unit: "{request}", description: "Requests the upstream could not answer, by YARP error.");
    }

    // The "enforced" tag's values, boxed once: a bool boxed per decision was garbage on every protected request.
    private static readonly object True = true;
    private static readonly object False = false;

    // outcome: allow, challenge or block (GatewayOutcome.Tag()).
    public void Decision(string policy, string outcome, string reason, bool enforced = true)
    {
        if (_decisions.Enabled)
        {
            _decisions.Add(1, new("policy", policy), new("outcome", outcome), new("reason", reason), new("enforced", enforced ? True : False));
        }
    }

    // value 0: publishes the series at start (MetricsBaseline).
    public void StoreFailure(string operation, string error, long value = 1)
    {
        if (_storeFailures.Enabled)
        {
            _storeFailures.Add(value, new("operation", operation), new("error", error));
        }
    }

    // value 0: publishes the series at start (MetricsBaseline).
    public void Captcha(string provider, string result, long value = 1)
    {
        if (_captcha.Enabled)
        {
            _captcha.Add(value, new("provider", provider), new("result", result));
        }
    }

    public void LoginOutcome(string policy, string outcome)
    {
        if (_loginOutcomes.Enabled)
        {
            _loginOutcomes.Add(1, new("policy", policy), new("outcome", outcome));
        }
    }

    public void PasswordChecked(string policy, bool? breached)
    {
        if (_passwordChecks.Enabled)
        {
            _passwordChecks.Add(1, new("policy", policy), new("result", breached switch { true => "breached", false => "clean", null => "unchecked" }));
        }
    }

    public void Ja4HeaderIgnored(string policy)
    {
        if (_ja4HeadersIgnored.Enabled)
        {
            _ja4HeadersIgnored.Add(1, new KeyValuePair<string, object?>("policy", policy));
        }
    }

    public void BreachedPasswordsLoaded(long count) => Volatile.Write(ref _breachedCorpusSize, count);

    public void Score(string policy, string decision, bool shadow)
    {
        if (_scores.Enabled)
        {
            _scores.Add(1, new("policy", policy), new("decision", decision), new("mode", shadow ? "shadow" : "enforce"));
        }
    }

    // value 0: publishes the series at start (MetricsBaseline).
    public void ShadowDisagreement(string policy, string live, string candidate, long value = 1)
    {
        if (_shadowDisagreements.Enabled)
        {
            _shadowDisagreements.Add(value, new("policy", policy), new("live", live), new("candidate", candidate));
        }
    }

    // value 0: publishes the series at start (MetricsBaseline).
    public void ModelReload(string model, string result, long value = 1)
    {
        if (_modelReloads.Enabled)
        {
            _modelReloads.Add(value, new("model", model), new("result", result));
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

    public void StageDuration(string stage, string policy, TimeSpan elapsed)
    {
        if (_stageDuration.Enabled)
        {
            _stageDuration.Record(elapsed.TotalSeconds, new("stage", stage), new("policy", policy));
        }
    }

    public void StoreDuration(string operation, string result, TimeSpan elapsed)
    {
        if (_storeDuration.Enabled)
        {
            _storeDuration.Record(elapsed.TotalSeconds, new("operation", operation), new("result", result));
        }
    }

    public void CaptchaDuration(string provider, string result, TimeSpan elapsed)
    {
        if (_captchaDuration.Enabled)
        {
            _captchaDuration.Record(elapsed.TotalSeconds, new("provider", provider), new("result", result));
        }
    }

    public void RiskScore(string policy, double score)
    {
        if (_riskScore.Enabled)
        {
            _riskScore.Record(score, new KeyValuePair<string, object?>("policy", policy));
        }
    }

    public void OverLimitCacheHit(string policy)
    {
        if (_overLimitCacheHits.Enabled)
        {
            _overLimitCacheHits.Add(1, new KeyValuePair<string, object?>("policy", policy));
        }
    }

    public void DecisionUnrecorded(string policy)
    {
        if (_unrecorded.Enabled)
        {
            _unrecorded.Add(1, new KeyValuePair<string, object?>("policy", policy));
        }
    }

}
