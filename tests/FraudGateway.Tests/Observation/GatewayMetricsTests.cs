using System.Diagnostics.Metrics;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace FraudGateway.Tests.Observation;

// Each instrument of GatewayMetrics on its own, as ASP.NET Core tests its meters: a MetricCollector on the instrument,
// one call, the value and every tag checked. The integration tests see them through a /metrics scrape as well.
public sealed class GatewayMetricsTests : InstrumentTests
{
    [Fact]
    public void Decisions_count_by_policy_outcome_reason_and_enforcement()
    {
        using var collector = Collect<long>("fraudgateway.decisions");
        var metrics = new GatewayMetrics(Factory);

        metrics.Decision("login", GatewayOutcome.Block.Tag(), "rate-limited:ip-minute", enforced: false);
        metrics.Decision("login", GatewayOutcome.Challenge.Tag(), "risk-score");

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        AssertTags(measurements[0], ("policy", "login"), ("outcome", "block"), ("reason", "rate-limited:ip-minute"), ("enforced", false));
        AssertTags(measurements[1], ("policy", "login"), ("outcome", "challenge"), ("reason", "risk-score"), ("enforced", true));
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
    }

    [Theory]
    [InlineData("fraudgateway.store.failures", "operation", "count", "error", "timeout")]
    [InlineData("fraudgateway.captcha", "provider", "turnstile", "result", "verified")]
    [InlineData("fraudgateway.login.outcomes", "policy", "login", "outcome", "failure")]
    [InlineData("fraudgateway.model.reloads", "model", "candidate", "result", "failed")]
    public void Two_tag_counters_count_one_per_event_and_zero_to_publish_a_series(string instrument, string firstTag, string first, string secondTag, string second)
    {
        using var collector = Collect<long>(instrument);
        var metrics = new GatewayMetrics(Factory);
        Action<long> record = instrument switch
        {
            "fraudgateway.store.failures" => v => metrics.StoreFailure(first, second, v),
            "fraudgateway.captcha" => v => metrics.Captcha(first, second, v),
            "fraudgateway.model.reloads" => v => metrics.ModelReload(first, second, v),
            _ => _ => metrics.LoginOutcome(first, second),
        };

        record(1);
        record(0);

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal(1, measurements[0].Value);
        AssertTags(measurements[0], (firstTag, first), (secondTag, second));
        // A 0 adds nothing but the series (MetricsBaseline); login outcomes always count one.
        Assert.Equal(instrument == "fraudgateway.login.outcomes" ? 1 : 0, measurements[1].Value);
        AssertTags(measurements[1], (firstTag, first), (secondTag, second));
    }

    [Fact]
    public void Scores_count_by_policy_decision_and_mode()
    {
        using var collector = Collect<long>("fraudgateway.scoring");
        new GatewayMetrics(Factory).Score("contact-form", "challenge", shadow: true);

        AssertTags(collector.LastMeasurement!, ("policy", "contact-form"), ("decision", "challenge"), ("mode", "shadow"));
    }

    [Fact]
    public void Shadow_disagreements_name_both_decisions()
    {
        using var collector = Collect<long>("fraudgateway.scoring.shadow_disagreements");
        new GatewayMetrics(Factory).ShadowDisagreement("login", "allow", "block");

        Assert.Equal(1, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"), ("live", "allow"), ("candidate", "block"));
    }

    [Theory]
    [InlineData("fraudgateway.counters.over_limit_cache_hits")]
    [InlineData("fraudgateway.decisions.unrecorded")]
    public void Policy_counters_count_by_policy(string instrument)
    {
        using var collector = Collect<long>(instrument);
        var metrics = new GatewayMetrics(Factory);
        if (instrument == "fraudgateway.decisions.unrecorded")
        {
            metrics.DecisionUnrecorded("login");
        }
        else
        {
            metrics.OverLimitCacheHit("login");
        }

        Assert.Equal(1, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"));
    }

    [Fact]
    public void Upstream_errors_count_by_yarp_error()
    {
        using var collector = Collect<long>("fraudgateway.upstream.errors");
        new GatewayMetrics(Factory).UpstreamError("RequestTimedOut");

        AssertTags(collector.LastMeasurement!, ("error", "RequestTimedOut"));
    }

    [Fact]
    public void Requests_per_counter_call_is_a_histogram_without_tags()
    {
        using var collector = Collect<int>("fraudgateway.store.requests_per_call");
        new GatewayMetrics(Factory).CounterCall(7);

        Assert.Equal(7, collector.LastMeasurement!.Value);
        Assert.Empty(collector.LastMeasurement.Tags);
    }

    [Theory]
    [InlineData("fraudgateway.stage.duration", "stage", "rate-limits", "policy", "login")]
    [InlineData("fraudgateway.store.duration", "operation", "count", "result", "ok")]
    [InlineData("fraudgateway.captcha.verify.duration", "provider", "turnstile", "result", "answered")]
    public void Durations_are_recorded_in_seconds(string instrument, string firstTag, string first, string secondTag, string second)
    {
        using var collector = Collect<double>(instrument);
        var metrics = new GatewayMetrics(Factory);
        var elapsed = TimeSpan.FromMilliseconds(2.5);
        switch (instrument)
        {
            case "fraudgateway.stage.duration":
                metrics.StageDuration(first, second, elapsed);
                break;
            case "fraudgateway.store.duration":
                metrics.StoreDuration(first, second, elapsed);
                break;
            default:
                metrics.CaptchaDuration(first, second, elapsed);
                break;
        }

        Assert.Equal(0.0025, collector.LastMeasurement!.Value, 9);
        AssertTags(collector.LastMeasurement, (firstTag, first), (secondTag, second));
        Assert.Equal("s", collector.Instrument!.Unit);
    }

    [Fact]
    public void Risk_scores_are_a_histogram_by_policy_with_score_buckets()
    {
        using var collector = Collect<double>("fraudgateway.scoring.score");
        new GatewayMetrics(Factory).RiskScore("login", 0.93);

        Assert.Equal(0.93, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"));
        Assert.Equal("1", collector.Instrument!.Unit);
    }

    [Theory]
    [InlineData(true, "breached")]
    [InlineData(false, "clean")]
    [InlineData(null, "unchecked")]
    public void Password_checks_count_by_policy_and_result(bool? breached, string result)
    {
        using var collector = Collect<long>("fraudgateway.passwords.checked");
        new GatewayMetrics(Factory).PasswordChecked("login", breached);

        Assert.Equal(1, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"), ("result", result));
    }

    [Fact]
    public void Ignored_ja4_headers_count_by_policy()
    {
        using var collector = Collect<long>("fraudgateway.tls.ja4_headers_ignored");
        new GatewayMetrics(Factory).Ja4HeaderIgnored("login");

        Assert.Equal(1, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"));
    }

    // An observable gauge: nothing until observed, then the size of the corpus last loaded (0 before any).
    [Fact]
    public void Breach_corpus_size_is_the_last_loaded_count()
    {
        using var collector = Collect<long>("fraudgateway.passwords.corpus_size");
        var metrics = new GatewayMetrics(Factory);

        collector.RecordObservableInstruments();
        Assert.Equal(0, collector.LastMeasurement!.Value);

        metrics.BreachedPasswordsLoaded(30_000);
        metrics.BreachedPasswordsLoaded(29_000);
        collector.RecordObservableInstruments();
        Assert.Equal(29_000, collector.LastMeasurement!.Value);
        Assert.Empty(collector.LastMeasurement.Tags);
        Assert.Equal("{hash}", collector.Instrument!.Unit);
    }

    // With nothing listening, recording builds no tag list and records nothing (the Enabled check).
    [Fact]
    public void Without_a_listener_nothing_is_recorded()
    {
        var metrics = new GatewayMetrics(Factory);
        metrics.Decision("login", GatewayOutcome.Allow.Tag(), "no-rule-matched");

        using var collector = Collect<long>("fraudgateway.decisions");
        Assert.Empty(collector.GetMeasurementSnapshot());
    }
}
