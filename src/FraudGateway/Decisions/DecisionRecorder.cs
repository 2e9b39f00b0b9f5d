using FraudGateway.Observation;
using FraudGateway.Pipeline;

namespace FraudGateway.Decisions;

// The decision record, made once the pipeline has decided. Blocks are logged at Information, allows at Debug so a normal day's traffic
// does not flood the log. The client appears as its HMAC, never as its address.
internal sealed partial class DecisionRecorder(GatewayMetrics metrics, IDecisionStore decisions, DecisionOptions options, RecordingGate gate, TimeProvider time, ILogger<DecisionRecorder> logger)
{
    public void Record(HttpContext context, FraudGatewayFeature feature, GatewayDecision decision, bool enforced = true)
    {
        metrics.Decision(feature.Policy.Name, decision.Outcome.Tag(), decision.Reason, enforced);
        // Allowed requests the model would have challenged or blocked (shadow scoring) are logged like refusals:
        // they are what an engineer reads before turning enforcement on.
        var refusal = decision.Outcome != GatewayOutcome.Allow || feature.Risk is { Decision: not Scoring.ScoringStage.Allow };
        // A candidate that decides otherwise is recorded too: its disagreements are what the dashboard lists.
        var disagreement = feature.Risk is { CandidateDecision: { } candidateDecision } disputed && candidateDecision != disputed.Decision;
        if (options.Record == DecisionRecording.All || ((refusal || disagreement) && options.Record == DecisionRecording.Refusals))
        {
            if (gate.TryEnter(feature.Policy.Name))
            {
                decisions.Append(Entry(context, feature, decision, enforced));
            }
            else
            {
                metrics.DecisionUnrecorded(feature.Policy.Name);
            }
        }

        var level = refusal ? LogLevel.Information : LogLevel.Debug;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var findings = feature.Verdicts.Count == 0 ? "" : string.Join(", ", feature.Verdicts.Select(v => $"{v.Stage}:{v.Finding}"));
        var client = feature.HasIdentity ? feature.AddressSubject.Id : "-";
        var ja4 = feature.HasIdentity ? feature.Identity.Ja4 ?? "-" : "-";
        var enforcement = enforced ? "enforced" : "shadow";
        // Every part is its own field of the log state (JSON console: State.Score, State.ModelVersion, ...); the
        // message reads the same as a sentence.
        if (feature.Risk is { } risk)
        {
            Log.ScoredDecision(logger, level, context.TraceIdentifier, feature.RouteId, feature.Policy.Name, decision.Outcome, enforcement,
                decision.Stage, decision.Reason, client, ja4, findings, Math.Round(risk.Score, 4), risk.Decision, risk.Rung, risk.Evidence.Length == 0 ? "-" : risk.Evidence, risk.ModelVersion,
                string.Join(", ", risk.Reasons), risk.CandidateVersion ?? "-", risk.CandidateScore is { } candidate ? Math.Round(candidate, 4) : -1, risk.CandidateDecision ?? "-");
        }
        else
        {
            Log.Decision(logger, level, context.TraceIdentifier, feature.RouteId, feature.Policy.Name, decision.Outcome, enforcement,
                decision.Stage, decision.Reason, client, ja4, findings);
        }

        if (feature.Policy.Scoring?.RecordFeatures == true && feature.Risk?.Features is { } features)
        {
            Log.Features(logger, level, context.TraceIdentifier, FeatureRecord(features));
        }
    }

    private DecisionEntry Entry(HttpContext context, FraudGatewayFeature feature, GatewayDecision decision, bool enforced)
    {
        var entry = new DecisionEntry
        {
            Time = time.GetUtcNow(),
            RequestId = context.TraceIdentifier,
            Route = feature.RouteId,
            Policy = feature.Policy.Name,
            Action = decision.Outcome.Tag(),
            Enforced = enforced,
            Stage = decision.Stage,
            Reason = decision.Reason,
            Findings = feature.Verdicts.Select(v => $"{v.Stage}:{v.Finding}").ToList(),
            CaptchaReasons = [.. feature.CaptchaReasons],
            ClientId = feature.HasIdentity ? feature.AddressSubject.Id : null,
            AccountId = feature.Body?.AccountId,
            Ja4 = feature.HasIdentity ? feature.Identity.Ja4 : null,
            BreachedPassword = feature.Body?.BreachedPassword,
            Features = feature.Risk?.Features,
        };
        if (feature.Counters is { } counters)
        {
            var rules = feature.Policy.RateLimits;
            for (var i = 0; i < counters.Decisions.Length && i < rules.Length; i++)
            {
                if (!counters.Decisions[i].Allowed)
                {
                    entry.LimitsHit.Add(rules[i].Name);
                }
            }
        }

        if (feature.Risk is { } risk)
        {
            entry.Score = Math.Round(risk.Score, 4);
            entry.ModelVersion = risk.ModelVersion;
            entry.RiskDecision = risk.Decision;
            entry.RiskRung = risk.Rung;
            entry.RiskEvidence = risk.Evidence.Length == 0 ? null : risk.Evidence;
            entry.TopFeatures = risk.Reasons.Select(r => new DecisionFeature(r.Feature, Math.Round(r.Value, 4), Math.Round(r.Contribution, 4))).ToList();
            entry.CandidateVersion = risk.CandidateVersion;
            entry.CandidateScore = risk.CandidateScore is { } candidate ? Math.Round(candidate, 4) : null;
            entry.CandidateDecision = risk.CandidateDecision;
        }

        return entry;
    }

    // The feature form of docs/training-data.md: {"features":{"ua_missing":0,...}} - numbers only, no identifiers.
    public static string FeatureRecord(float[] features)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("features");
            for (var i = 0; i < features.Length; i++)
            {
                json.WriteNumber(Model.FeatureSchema.Names[i], features[i]);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.DecisionRecorded, EventName = nameof(LogEvents.DecisionRecorded), Message = "Decision {Outcome} ({Enforcement}) by {Stage} ({Reason}) for request {RequestId} on route {RouteId}, policy {Policy}, client {ClientId}, TLS {Ja4}; findings: {Findings}; risk: not scored")]
        public static partial void Decision(ILogger logger, LogLevel level, string requestId, string routeId, string policy, GatewayOutcome outcome, string enforcement, string stage, string reason, string clientId, string ja4, string findings);

        [LoggerMessage(EventId = LogEvents.DecisionRecordedScored, EventName = nameof(LogEvents.DecisionRecordedScored), Message = "Decision {Outcome} ({Enforcement}) by {Stage} ({Reason}) for request {RequestId} on route {RouteId}, policy {Policy}, client {ClientId}, TLS {Ja4}; findings: {Findings}; risk: {Score} {RiskDecision} by {ModelVersion} ({TopFeatures}), rung {RiskRung}, independent evidence {RiskEvidence}; candidate {CandidateVersion}: {CandidateScore} {CandidateDecision}")]
        public static partial void ScoredDecision(ILogger logger, LogLevel level, string requestId, string routeId, string policy, GatewayOutcome outcome, string enforcement, string stage, string reason, string clientId, string ja4, string findings,
            double score, string riskDecision, string riskRung, string riskEvidence, string modelVersion, string topFeatures, string candidateVersion, double candidateScore, string candidateDecision);

        [LoggerMessage(EventId = LogEvents.DecisionFeatures, EventName = nameof(LogEvents.DecisionFeatures), Message = "Features of request {RequestId}: {FeatureRecord}")]
        public static partial void Features(ILogger logger, LogLevel level, string requestId, string featureRecord);
    }
}
