namespace FraudGateway.Pipeline;

public enum GatewayOutcome
{
    Allow,
    Challenge,
    Block,
}

internal static class GatewayOutcomeExtensions
{
    /// <summary>The outcome as metrics and decision records name it: allow, challenge or block.</summary>
    public static string Tag(this GatewayOutcome outcome) => outcome switch
    {
        GatewayOutcome.Allow => "allow",
        GatewayOutcome.Challenge => "challenge",
        _ => "block",
    };
}
