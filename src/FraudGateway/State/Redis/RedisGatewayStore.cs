using FraudGateway.Observation;
using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// The shared store for production and for several gateway instances: the Redis parts, one per responsibility, over
// one RedisStoreCore. Expiry is decided by the gateway's TimeProvider (a value carries its ExpiresAt); Redis TTLs only
// collect garbage.
internal sealed class RedisGatewayStore : IGatewayStore, IApproximateStore
{
    private readonly RedisCounting _counting;
    private readonly RedisBans _bans;
    private readonly RedisClaims _claims;
    private readonly RedisBroadcasts _broadcasts;
    private readonly RedisLifecycle _lifecycle;

    // scheduleCounterCalls: where the batcher's sends run (the thread pool unless a test runs them by hand).
    public RedisGatewayStore(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time, GatewayMetrics metrics, ILogger<RedisGatewayStore> logger, Action<Action>? scheduleCounterCalls = null)
    {
        var core = new RedisStoreCore(redis, options, time, metrics, logger);
        _counting = new RedisCounting(core, metrics.CounterCall, scheduleCounterCalls, options.MaxRequestsPerCall);
        _bans = new RedisBans(core);
        _claims = new RedisClaims(core);
        _lifecycle = new RedisLifecycle(core, _counting);
        _broadcasts = new RedisBroadcasts(core);
    }

    public string Name => _lifecycle.Name;

    public event Action<string>? LimitLifted
    {
        add => _broadcasts.LimitLifted += value;
        remove => _broadcasts.LimitLifted -= value;
    }

    public event Action<string>? SubjectErased
    {
        add => _broadcasts.SubjectErased += value;
        remove => _broadcasts.SubjectErased -= value;
    }

    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken) => _counting.CountAsync(request, cancellationToken);

    public Task<(long Current, long Previous)[]> SyncWindowsAsync(IReadOnlyList<WindowSync> windows, bool onRequestPath, CancellationToken cancellationToken) =>
        _counting.SyncWindowsAsync(windows, onRequestPath, cancellationToken);

    public ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken) => _bans.FindBanAsync(address, prefix, cancellationToken);

    public Task AddBanAsync(BanRecord record, CancellationToken cancellationToken) => _bans.AddBanAsync(record, cancellationToken);

    public Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken) => _bans.RemoveBanAsync(subject, cancellationToken);

    public Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken) => _bans.ListBansAsync(cancellationToken);

    public Task<BanRecord?[]> ReadBansAsync(IReadOnlyList<BanSubject> subjects, bool onRequestPath, CancellationToken cancellationToken) =>
        _bans.ReadBansAsync(subjects, onRequestPath, cancellationToken);

    public ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken) => _claims.TryClaimOnceAsync(id, claimant, ttl, cancellationToken);

    public Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken) => _claims.ReleaseClaimAsync(id, claimant, cancellationToken);

    public Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken) => _broadcasts.AnnounceLiftAsync(localKeys, cancellationToken);

    public Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken) => _broadcasts.AnnounceErasureAsync(subjectId, cancellationToken);

    public Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken) => _broadcasts.EraseSubjectAsync(subjectId, cancellationToken);

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => _lifecycle.IsReadyAsync(cancellationToken);

    public Task WarmAsync(CancellationToken cancellationToken) => _lifecycle.WarmAsync(cancellationToken);
}
