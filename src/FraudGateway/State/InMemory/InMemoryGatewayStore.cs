namespace FraudGateway.State.InMemory;

// The embedded default: one process, no Redis. Time is the injected TimeProvider. Its parts (InMemoryCounting,
// InMemoryBans, InMemoryClaims) each hold one kind of record; expired entries are dropped when read and swept at most
// every SweepInterval, so memory follows live keys. One process: an announcement reaches every listener there is, now.
internal sealed class InMemoryGatewayStore : IGatewayStore, IAgedState
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly InMemoryBans _bans;
    private readonly InMemoryClaims _claims;
    private readonly InMemoryCounting _counting;
    private long _nextSweepMs;

    public InMemoryGatewayStore(TimeProvider time)
    {
        _time = time;
        _bans = new InMemoryBans(time);
        _claims = new InMemoryClaims(time);
        _counting = new InMemoryCounting(time, _bans);
    }

    public string Name => "in-memory";

    public event Action<string>? LimitLifted;

    public event Action<string>? SubjectErased;

    // Records held: bans, rate-limit windows (a Redis store's limit keys), claims.
    public int HeldRecords => _bans.Count + _counting.HeldWindows + _claims.Count;

    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        SweepIfDue(_time.GetUtcNow().ToUnixTimeMilliseconds());
        return _counting.CountAsync(request);
    }

    public ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken) => _bans.FindBanAsync(address, prefix, cancellationToken);

    public Task AddBanAsync(BanRecord record, CancellationToken cancellationToken) => _bans.AddBanAsync(record, cancellationToken);

    public Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken) => _bans.RemoveBanAsync(subject, cancellationToken);

    public Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken) => _bans.ListBansAsync(cancellationToken);

    public ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken)
    {
        SweepIfDue(_time.GetUtcNow().ToUnixTimeMilliseconds());
        return _claims.TryClaimOnceAsync(id, claimant, ttl, cancellationToken);
    }

    public Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken) => _claims.ReleaseClaimAsync(id, claimant, cancellationToken);

    public Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken)
    {
        foreach (var key in localKeys)
        {
            LimitLifted?.Invoke(key);
        }

        return Task.CompletedTask;
    }

    public Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken)
    {
        SubjectErased?.Invoke(subjectId);
        return Task.CompletedTask;
    }

    public Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken) => Task.FromResult(Erase(subjectId));

    // Every ban and limit whose key names the subject, and the subject as a member of any distinct-count window.
    public long Erase(string subjectId) => _bans.Erase(subjectId) + _counting.Erase(subjectId);

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task WarmAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void SweepExpired(DateTimeOffset now)
    {
        _bans.Sweep();
        Sweep(now.ToUnixTimeMilliseconds());
    }

    private void SweepIfDue(long nowMs)
    {
        var due = Interlocked.Read(ref _nextSweepMs);
        if (nowMs < due || Interlocked.CompareExchange(ref _nextSweepMs, nowMs + (long)SweepInterval.TotalMilliseconds, due) != due)
        {
            return;
        }

        Sweep(nowMs);
    }

    private void Sweep(long nowMs)
    {
        _claims.Sweep(nowMs);
        _counting.Sweep(nowMs);
    }
}
