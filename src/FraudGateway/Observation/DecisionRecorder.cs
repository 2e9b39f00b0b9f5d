using FraudGateway.Pipeline;
using FraudGateway.Privacy;

namespace FraudGateway.Observation;

// Stage 10: the decision record. Blocks are logged at Information, allows at Debug so a normal day's traffic
// does not flood the log. The client appears as its HMAC, never as its address.
public sealed partial class DecisionRecorder(GatewayMetrics metrics, SubjectHasher hasher, ILogger<DecisionRecorder> logger)
{
    public void Record(HttpContext context, FraudGatewayFeature feature, GatewayDecision decision)
    {
        metrics.Decision(feature.Policy.Name, decision.Outcome, decision.Reason);
        var level = decision.Outcome == GatewayOutcome.Allow ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var findings = feature.Verdicts.Count == 0 ? "" : string.Join(", ", feature.Verdicts.Select(v => $"{v.Stage}:{v.Finding}"));
        Log.Decision(logger, level, context.TraceIdentifier, feature.RouteId, feature.Policy.Name, decision.Outcome, decision.Stage, decision.Reason,
            (feature.AddressSubject ??= State.BanSubject.ForAddress(feature.Identity.Address, hasher)).Id, findings);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Message = "Decision {Outcome} by {Stage} ({Reason}) for request {RequestId} on route {RouteId}, policy {Policy}, client {ClientId}; findings: {Findings}")]
        public static partial void Decision(ILogger logger, LogLevel level, string requestId, string routeId, string policy, GatewayOutcome outcome, string stage, string reason, string clientId, string findings);
    }
}
