using FraudGateway.Problems;

namespace FraudGateway.Pipeline;

internal enum StageAction
{
    // Go on to the next stage.
    Continue,

    // Trusted: skip every later check and forward.
    AllowFast,

    // Answer with Problem; the upstream is not called.
    Block,
}

// Detail and Extensions travel into the problem+json answer of a block (a human detail; extra members such as
// the captcha site key).
internal readonly record struct StageResult(StageAction Action, string? Reason = null, GatewayProblem? Problem = null,
    string? Detail = null, Action<System.Text.Json.Utf8JsonWriter>? Extensions = null)
{
    public static StageResult Continue => default;

    public static StageResult AllowFast(string reason) => new(StageAction.AllowFast, reason);

    public static StageResult Block(string reason, GatewayProblem problem, string? detail = null, Action<System.Text.Json.Utf8JsonWriter>? extensions = null) =>
        new(StageAction.Block, reason, problem, detail, extensions);
}
