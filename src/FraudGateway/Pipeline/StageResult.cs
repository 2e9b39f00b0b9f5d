using FraudGateway.Problems;

namespace FraudGateway.Pipeline;

public enum StageAction
{
    // Go on to the next stage.
    Continue,

    // Trusted: skip every later check and forward.
    AllowFast,

    // Answer with Problem; the upstream is not called.
    Block,
}

public readonly record struct StageResult(StageAction Action, string? Reason = null, GatewayProblem? Problem = null)
{
    public static StageResult Continue => default;

    public static StageResult AllowFast(string reason) => new(StageAction.AllowFast, reason);

    public static StageResult Block(string reason, GatewayProblem problem) => new(StageAction.Block, reason, problem);
}
