namespace FraudGateway.State;

// The store did not answer within its timeout, or answered with an error. Callers apply the policy's
// OnStoreFailure; the message never reaches a client.
internal sealed class StoreUnavailableException(string operation, Exception? inner = null)
    : Exception($"The gateway store did not complete '{operation}'.", inner)
{
    public string Operation { get; } = operation;
}
