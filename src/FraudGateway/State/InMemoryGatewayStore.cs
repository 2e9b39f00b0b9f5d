using System.Collections.Concurrent;

namespace FraudGateway.State;

// The embedded default: one process, no Redis. Expiry follows the injected TimeProvider; expired entries
// are dropped when read and swept whenever a ban is added, so memory stays bounded by live bans.
public sealed class InMemoryGatewayStore(TimeProvider time) : IGatewayStore
{
    private readonly ConcurrentDictionary<string, BanRecord> _bans = new(StringComparer.Ordinal);

    public string Name => "in-memory";

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

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    private BanRecord? Live(BanSubject subject)
    {
        if (!_bans.TryGetValue(subject.Token, out var record))
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

    private void Sweep()
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
