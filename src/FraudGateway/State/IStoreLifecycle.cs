namespace FraudGateway.State;

/// <summary>
/// The store's name, warm-up and readiness (what /readyz asks).
/// </summary>
public interface IStoreLifecycle
{
    /// <summary>
    /// "in-memory" or "redis", as the metrics and /readyz name it.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// True once WarmAsync has succeeded and the store answers.
    /// </summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the request path warm (connections, scripts, a first call on every shard); IsReadyAsync is false until it
    /// has succeeded once. Throws StoreUnavailableException when the store does not answer (the caller retries).
    /// </summary>
    Task WarmAsync(CancellationToken cancellationToken);
}
