using FraudGateway.Problems;

namespace FraudGateway.Pipeline;

// The final word on a request: what happens, which stage decided, and why (a stable, low-cardinality reason).
public sealed record GatewayDecision(GatewayOutcome Outcome, string Stage, string Reason, GatewayProblem? Problem = null,
    string? Detail = null, Action<System.Text.Json.Utf8JsonWriter>? Extensions = null)
{
    public static readonly GatewayDecision AllowedNoRuleMatched = new(GatewayOutcome.Allow, "pipeline", "no-rule-matched");
}
