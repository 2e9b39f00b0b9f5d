namespace FraudGateway.State;

/// <summary>
/// Small named values every instance sharing the store reads alike, each with a lifetime: an operator's forced
/// defended mode, an account's device-token revocation. Every call completes within the store's timeout or throws
/// <see cref="StoreUnavailableException"/>.
/// </summary>
internal interface ISharedFlags
{
    ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken);

    Task SetAsync(string name, string value, TimeSpan ttl, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken);
}
