namespace FraudGateway.State;

/// <summary>
/// The store is Redis when ConnectionStrings:Redis is set, in-memory otherwise.
/// </summary>
internal sealed class StoreOptions
{
    /// <summary>
    /// Every store operation on the request path gives up after this long; the policy's OnStoreFailure decides what follows.
    /// </summary>
    public int OperationTimeoutMs { get; set; } = 50;

    /// <summary>
    /// A fresh process is slow for a moment (first connections, code compiled on first use, a thread pool that has
    /// not grown yet): its first WarmupRequests request-path store operations, within WarmupSeconds of /readyz first
    /// saying ready and until the first store failure, give up after WarmupTimeoutMs instead, so a burst arriving
    /// right after a start or a deploy is counted exactly instead of failing on a timeout a warm instance would never
    /// hit (docs/architecture.md). WarmupRequests 0 turns this off.
    /// </summary>
    public int WarmupTimeoutMs { get; set; } = 1000;

    public int WarmupRequests { get; set; } = 1000;

    public int WarmupSeconds { get; set; } = 60;

    /// <summary>
    /// Prefix of every Redis key, so several deployments can share one Redis.
    /// </summary>
    public string KeyPrefix { get; set; } = "fg";

    /// <summary>
    /// Which clock rate-limit windows run on with Redis. Redis (default): the Redis server's TIME, one clock for
    /// every gateway instance. Gateway: the gateway's TimeProvider (tests; or a deployment that trusts its NTP).
    /// </summary>
    public StoreClock Clock { get; set; } = StoreClock.Redis;

    /// <summary>
    /// Limit keys the store has refused are remembered in process until their Retry-After, so a flood from a client
    /// already over its limit is refused without a store call. At most this many keys; 0 turns the cache off.
    /// </summary>
    public int OverLimitCacheMaxEntries { get; set; } = 100_000;

    /// <summary>
    /// Where StackExchange.Redis reads its sockets. ThreadPool (default): on .NET thread-pool threads, so an answer
    /// is parsed and the request continues on the same thread, with fewer thread switches per request than Dedicated
    /// (docs/performance.md, "Design figures"). Dedicated: the library's own reader threads, which keep
    /// reading even if the thread pool were starved by blocking code (the gateway has none).
    /// </summary>
    public RedisSocketManagerKind RedisSocketManager { get; set; } = RedisSocketManagerKind.ThreadPool;

    /// <summary>
    /// On a single Redis, the counter calls of requests that arrive together go into one script call of at most this
    /// many requests (each keeps its own answer; none waits for another). 1 sends one call per request.
    /// Ignored on Redis Cluster, where each request's hash-tag groups are calls of their own.
    /// </summary>
    public int MaxRequestsPerCall { get; set; } = 32;

    /// <summary>
    /// Approximate counting (a policy's Counting: Approximate): how often each instance sends its increments to Redis
    /// and reads the global counts back. The overshoot bound grows with it (docs/configuration.md, "Approximate counting").
    /// </summary>
    public int ApproximateSyncMs { get; set; } = 100;

    /// <summary>
    /// Approximate counting: the oldest global count (and ban) an instance decides with. A key in use every interval is
    /// refreshed every interval anyway; a key used less often is read on the request path once its last answer is
    /// older than this. Lower: closer to exact, more reads on the request path.
    /// </summary>
    public int ApproximateMaxStaleMs { get; set; } = 1000;
}
