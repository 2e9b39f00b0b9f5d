using FraudGateway.Configuration;
using FraudGateway.Networking;

namespace FraudGateway.Pipeline;

// A protection policy after parsing: what the stages read on every request.
public sealed class GatewayPolicy
{
    public required string Name { get; init; }

    public required CidrSet Allow { get; init; }

    public required CidrSet Deny { get; init; }

    public StoreFailureMode OnStoreFailure { get; init; }
}
