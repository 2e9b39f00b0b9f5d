using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// What one instance tells every instance sharing the store (lifted limits, erased subjects, over pub/sub), and the
// erasure of a subject's records on every primary.
internal sealed class RedisBroadcasts : IStoreBroadcasts
{
    private readonly RedisStoreCore _core;

    public RedisBroadcasts(RedisStoreCore core)
    {
        _core = core;
        // Lifts announced by any instance (this one too). The subscription is registered even when Redis is not
        // reachable yet; StackExchange.Redis makes it on every (re)connect.
        try
        {
            core.Redis.GetSubscriber().Subscribe(core.Keys.LiftChannel, OnLift, CommandFlags.FireAndForget);
            core.Redis.GetSubscriber().Subscribe(core.Keys.ErasureChannel, (_, message) => SubjectErased?.Invoke((string?)message ?? ""), CommandFlags.FireAndForget);
        }
        catch (RedisConnectionException)
        {
            // Not connected at start: the connection log says so; the subscription is made once it connects.
        }
    }

    public event Action<string>? LimitLifted;

    public event Action<string>? SubjectErased;

    // Raised here at once, then published for the other instances (at most once each; an instance that is
    // disconnected at that moment keeps a cached refusal until its Retry-After, at most).
    public async Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken)
    {
        foreach (var key in localKeys)
        {
            LimitLifted?.Invoke(key);
        }

        await _core.Guard("announce-lift", _core.Redis.GetSubscriber().PublishAsync(_core.Keys.LiftChannel, string.Join('\n', localKeys)), _core.AdminTimeout, cancellationToken);
    }

    public async Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken)
    {
        SubjectErased?.Invoke(subjectId);
        await _core.Guard("announce-erasure", _core.Redis.GetSubscriber().PublishAsync(_core.Keys.ErasureChannel, subjectId), _core.AdminTimeout, cancellationToken);
    }

    // SCAN MATCH on every primary (a subject's keys sit in several hash slots: its own tag's and, for limits on
    // combinations, the first part's), each key deleted on its own (one DEL per key routes to its slot on a
    // cluster), then its entries in the ban index. Every primary must answer, or the erasure is not complete and
    // the caller hears so (it can be repeated: erasing twice removes nothing more).
    public async Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken)
    {
        var primaries = _core.Redis.GetServers().Where(server => !server.IsReplica).ToArray();
        if (primaries.Length == 0 || primaries.Any(server => !server.IsConnected))
        {
            throw new StoreUnavailableException("erase-subject", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "A primary is not connected."));
        }

        var db = _core.Redis.GetDatabase();
        var removed = 0L;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            foreach (var primary in primaries)
            {
                var page = new List<RedisKey>(256);
                await foreach (var key in primary.KeysAsync(db.Database, _core.Keys.SubjectKeys(subjectId), 500).WithCancellation(timeout.Token))
                {
                    page.Add(key);
                    if (page.Count == page.Capacity)
                    {
                        removed += await DeleteAsync(db, page, timeout.Token);
                    }
                }

                removed += await DeleteAsync(db, page, timeout.Token);
            }

            removed += await _core.Guard("erase-subject", db.SortedSetRemoveAsync(_core.Keys.BanIndex,
                [StoreKeys.SubjectTag(BanSubjectKind.Address, subjectId), StoreKeys.SubjectTag(BanSubjectKind.Prefix, subjectId)]), _core.AdminTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException("erase-subject", e);
        }

        return removed;
    }

    private void OnLift(RedisChannel channel, RedisValue message)
    {
        foreach (var key in ((string?)message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            LimitLifted?.Invoke(key);
        }
    }

    private async Task<long> DeleteAsync(IDatabase db, List<RedisKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var deleted = await _core.Guard("erase-subject", Task.WhenAll(keys.Select(key => db.KeyDeleteAsync(key))), _core.AdminTimeout, cancellationToken);
        keys.Clear();
        return deleted.Count(d => d);
    }
}
