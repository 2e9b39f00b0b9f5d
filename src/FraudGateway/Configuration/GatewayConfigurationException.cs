namespace FraudGateway.Configuration;

// Thrown at start when the configuration is unusable. Its message lists every problem found,
// one per line, so an operator fixes them all in one go.
internal sealed class GatewayConfigurationException(IReadOnlyList<string> errors)
    : Exception("FraudGateway configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
