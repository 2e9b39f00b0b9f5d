using FraudGateway.Pipeline;

namespace FraudGateway.Observation;

// The decision record, made once the pipeline has decided. Blocks are logged at Information, allows at Debug so a normal day's traffic
// does not flood the log. The client appears as its HMAC, never as its address.
internal sealed partial class DecisionRecorder(GatewayMetrics metrics, ILogger<DecisionRecorder> logger)
{
    public void Record(HttpContext context, FraudGatewayFeature feature, GatewayDecision decision, bool enforced = true)
    {
        metrics.Decision(feature.Policy.Name, decision.Outcome, decision.Reason, enforced);
        // Allowed requests the model would have challenged or blocked (shadow scoring) are logged like refusals:
        // they are what an engineer reads before turning enforcement on.
        var level = decision.Outcome != GatewayOutcome.Allow || feature.Risk is { Decision: not Scoring.ScoringStage.Allow } ? LogLevel.Information : LogLevel.Debug;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var findings = feature.Verdicts.Count == 0 ? "" : string.Join(", ", feature.Verdicts.Select(v => $"{v.Stage}:{v.Finding}"));
        var client = feature.HasIdentity ? feature.AddressSubject.Id : "-";
        Log.Decision(logger, level, context.TraceIdentifier, feature.RouteId, feature.Policy.Name, decision.Outcome, enforced ? "enforced" : "shadow",
            decision.Stage, decision.Reason, client, findings, feature.Risk?.ToString() ?? "not scored");
        if (feature.Risk?.Features is { } features)
        {
            Log.Features(logger, level, context.TraceIdentifier, FeatureRecord(features));
        }
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
        [LoggerMessage(EventId = LogEvents.DecisionRecorded, EventName = nameof(LogEvents.DecisionRecorded), Message = "Decision {Outcome} ({Enforcement}) by {Stage} ({Reason}) for request {RequestId} on route {RouteId}, policy {Policy}, client {ClientId}; findings: {Findings}; risk: {Risk}")]
        public static partial void Decision(ILogger logger, LogLevel level, string requestId, string routeId, string policy, GatewayOutcome outcome, string enforcement, string stage, string reason, string clientId, string findings, string risk);

        [LoggerMessage(EventId = LogEvents.DecisionFeatures, EventName = nameof(LogEvents.DecisionFeatures), Message = "Features of request {RequestId}: {FeatureRecord}")]
        public static partial void Features(ILogger logger, LogLevel level, string requestId, string featureRecord);
    }
}
