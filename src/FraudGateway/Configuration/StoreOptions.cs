namespace FraudGateway.Configuration;

// The store is Redis when ConnectionStrings:Redis is set, in-memory otherwise.
public sealed class StoreOptions
{
    // Every store operation on the request path gives up after this long; the policy's OnStoreFailure decides what follows.
    public int OperationTimeoutMs { get; set; } = 50;

    // Prefix of every Redis key, so several deployments can share one Redis.
    public string KeyPrefix { get; set; } = "fg";

    // Which clock rate-limit windows run on with Redis. Redis (default): the Redis server's TIME, one clock for
    // every gateway instance. Gateway: the gateway's TimeProvider (tests; or a deployment that trusts its NTP).
    public StoreClock Clock { get; set; } = StoreClock.Redis;
}
