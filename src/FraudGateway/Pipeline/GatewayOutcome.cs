namespace FraudGateway.Pipeline;

public enum GatewayOutcome
{
    Allow,
    Challenge,
    Block,
}
