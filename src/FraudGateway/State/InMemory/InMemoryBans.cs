using System.Collections.Concurrent;

namespace FraudGateway.State.InMemory;

// Bans in process, by subject token; an expired ban is dropped when read and by the sweep.
internal sealed class InMemoryBans(TimeProvider time) : IBanStore
{
    private readonly ConcurrentDictionary<string, BanRecord> _bans = new(StringComparer.Ordinal);

    public int Count => _bans.Count;

    public ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken)
    {
        if (_bans.IsEmpty)
        {
            return ValueTask.FromResult<BanRecord?>(null);
        }

        return ValueTask.FromResult(Live(address) ?? Live(prefix));
    }

    public Task AddBanAsync(BanRecord record, CancellationToken cancellationToken)
    {
        Sweep();
        if (record.ExpiresAt > time.GetUtcNow())
        {
            _bans[record.Subject.Token] = record;
        }

        return Task.CompletedTask;
    }

    public Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken) =>
        Task.FromResult(_bans.TryRemove(subject.Token, out var removed) && removed.ExpiresAt > time.GetUtcNow());

    public Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken)
    {
        Sweep();
        var now = time.GetUtcNow();
        IReadOnlyList<BanRecord> live = _bans.Values.Where(b => b.ExpiresAt > now).OrderBy(b => b.ExpiresAt).ToList();
        return Task.FromResult(live);
    }

    public BanRecord? Live(BanSubject subject)
    {
        if (_bans.IsEmpty || !_bans.TryGetValue(subject.Token, out var record))
        {
            return null;
        }

        if (record.ExpiresAt > time.GetUtcNow())
        {
            return record;
        }

        _bans.TryRemove(new KeyValuePair<string, BanRecord>(subject.Token, record));
        return null;
    }

    // Every ban whose key names the subject.
    public long Erase(string subjectId)
    {
        var removed = 0L;
        foreach (var key in _bans.Keys)
        {
            if (key.Contains(subjectId, StringComparison.Ordinal) && _bans.TryRemove(key, out _))
            {
                removed++;
            }
        }

        return removed;
    }

    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, record) in _bans)
        {
            if (record.ExpiresAt <= now)
            {
                _bans.TryRemove(new KeyValuePair<string, BanRecord>(key, record));
            }
        }
    }
}
