using System.Text.Json;
using FraudGateway.Observation;
using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// What every part of the Redis store shares: the connection, the key layout, the clock, the timeouts (with the
// warm-up's longer one for the first requests), the guard every call goes through (timeout, metrics, outage log)
// and the reading of a stored ban. The parts (RedisCounting, RedisBans, RedisClaims, RedisBroadcasts,
// RedisLifecycle) each hold one responsibility; RedisGatewayStore composes them.
internal sealed partial class RedisStoreCore
{
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _warmupPeriod;
    private readonly int _warmupRequests;
    private readonly StoreOutageLog _outage;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private int _warmupRequestsLeft;
    private int _warm;
    // Unix ms when the store path became warm (again); long.MaxValue before. A long, read and written atomically.
    private long _warmSinceMs = long.MaxValue;
    private int _topology;

    public RedisStoreCore(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time, GatewayMetrics metrics, ILogger logger)
    {
        Redis = redis;
        Keys = new StoreKeys(options.KeyPrefix);
        Clock = options.Clock;
        Time = time;
        _metrics = metrics;
        _logger = logger;
        _requestTimeout = TimeSpan.FromMilliseconds(options.OperationTimeoutMs);
        WarmupTimeout = TimeSpan.FromMilliseconds(Math.Max(options.OperationTimeoutMs, options.WarmupTimeoutMs));
        _warmupPeriod = TimeSpan.FromSeconds(options.WarmupSeconds);
        _warmupRequests = options.WarmupRequests;
        _warmupRequestsLeft = options.WarmupRequests;
        _outage = new StoreOutageLog(time, logger);
        // Admin calls are rare and a human waits on them; give them more room than the request path.
        AdminTimeout = TimeSpan.FromMilliseconds(Math.Max(options.OperationTimeoutMs, 2000));
    }

    public IConnectionMultiplexer Redis { get; }

    public StoreKeys Keys { get; }

    public StoreClock Clock { get; }

    public TimeProvider Time { get; }

    public TimeSpan AdminTimeout { get; }

    public TimeSpan WarmupTimeout { get; }

    public bool IsWarm => Volatile.Read(ref _warm) == 1;

    // The clock a counters call passes to the script: the gateway's, or 0 for the server's own (StoreClock).
    public RedisValue Now() => Clock == StoreClock.Gateway ? Time.GetUtcNow().ToUnixTimeMilliseconds() : 0;

    // The request path's store timeout: OperationTimeoutMs once the process is warm; WarmupTimeoutMs for its first
    // WarmupRequests operations within WarmupSeconds of the warm-up, until the first failure (StoreOptions).
    public TimeSpan RequestTimeout()
    {
        if (Volatile.Read(ref _warmupRequestsLeft) <= 0)
        {
            return _requestTimeout;
        }

        if (Interlocked.Decrement(ref _warmupRequestsLeft) < 0 || Time.GetUtcNow().ToUnixTimeMilliseconds() - Volatile.Read(ref _warmSinceMs) > (long)_warmupPeriod.TotalMilliseconds)
        {
            Volatile.Write(ref _warmupRequestsLeft, 0);
            return _requestTimeout;
        }

        return WarmupTimeout;
    }

    // The first warm-up succeeded: the warm-up period starts (unless a reconnection started it already).
    public void MarkWarm()
    {
        Interlocked.CompareExchange(ref _warmSinceMs, Time.GetUtcNow().ToUnixTimeMilliseconds(), long.MaxValue);
        Volatile.Write(ref _warm, 1);
    }

    // A restored connection is cold again: the warm-up timeout applies afresh.
    public void RestartWarmup()
    {
        Volatile.Write(ref _warmSinceMs, Time.GetUtcNow().ToUnixTimeMilliseconds());
        Volatile.Write(ref _warmupRequestsLeft, _warmupRequests);
    }

    // Standalone (or a replica set) until a connected server says it is part of a cluster; unknown counts as cluster,
    // whose one-call-per-group form works everywhere.
    public bool IsStandalone()
    {
        var topology = Volatile.Read(ref _topology);
        if (topology == 0)
        {
            var servers = Redis.GetServers();
            if (servers.Length > 0 && servers.All(server => server.IsConnected))
            {
                topology = servers.Any(server => server.ServerType == ServerType.Cluster) ? 2 : 1;
                Volatile.Write(ref _topology, topology);
            }
        }

        return topology == 1;
    }

    public BanRecord? Live(RedisValue value) => Live(value, Time.GetUtcNow());

    public BanRecord? Live(RedisValue value, DateTimeOffset now)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize((string)value!, StoreJsonContext.Default.StoredBan)?.ToRecord();
            return record is not null && record.ExpiresAt > now ? record : null;
        }
        catch (JsonException)
        {
            // A value we cannot read is not a ban: failing closed on garbage would let one bad write block everyone.
            Log.UnreadableBan(_logger);
            return null;
        }
    }

    public async Task<T> Guard<T>(string operation, Task<T> task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Guard(operation, (Task)task, timeout, cancellationToken);
        return await task;
    }

    public async Task Guard(string operation, Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // A network timeout is wall-clock time, not the gateway clock that tests move by hand.
            await task.WaitAsync(timeout, cancellationToken);
            _outage.Succeeded();
            _metrics.StoreDuration(operation, "ok", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.StoreDuration(operation, e is TimeoutException ? "timeout" : "error", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            _metrics.StoreFailure(operation, e is TimeoutException ? "timeout" : "error");
            // A warm store that fails is not merely slow: the warm-up timeout ends here, so an outage costs each
            // request OperationTimeoutMs from the next operation on.
            if (IsWarm)
            {
                Volatile.Write(ref _warmupRequestsLeft, 0);
            }

            _outage.Failed(operation, e.GetType().Name);
            throw new StoreUnavailableException(operation, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.RedisStoreUnreadableBan, EventName = nameof(LogEvents.RedisStoreUnreadableBan), Level = LogLevel.Warning, Message = "A ban record in Redis could not be read and was ignored.")]
        public static partial void UnreadableBan(ILogger logger);
    }
}
