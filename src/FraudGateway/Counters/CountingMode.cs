namespace FraudGateway.Counters;

// How a policy's request limits are counted with Redis (FraudGateway:Policies:<name>:Counting).
public enum CountingMode
{
    // Every request counted in Redis as it arrives: exact across instances; one store call per request.
    Exact,

    // Counted in process and sent to Redis in batches every Store:ApproximateSyncMs (ApproximateCounting): Redis cost
    // follows the keys in use, not the request rate; a limit can be overshot by a bounded amount (docs/configuration.md).
    Approximate,
}
