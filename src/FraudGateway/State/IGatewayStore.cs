namespace FraudGateway.State;

/// <summary>
/// The gateway's shared state: every part of the store's contract in one service. Two implementations pass the same
/// contract tests (GatewayStoreContractTests): InMemory.InMemoryGatewayStore for a single instance,
/// Redis.RedisGatewayStore for production and scale-out, each composed of one type per part. A consumer that needs
/// one part takes that part's interface. Every method either completes within the store's timeout or throws
/// StoreUnavailableException.
/// </summary>
public interface IGatewayStore : ICounterStore, IBanStore, IClaimStore, IStoreBroadcasts, IStoreLifecycle
{
}
