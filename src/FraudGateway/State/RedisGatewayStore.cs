using System.Text.Json;
using FraudGateway.Observation;
using FraudGateway.RateLimiting;
using StackExchange.Redis;

namespace FraudGateway.State;

// The shared store for production and for several gateway instances. Commands issued together are
// pipelined by StackExchange.Redis on one connection, so FindBanAsync's two GETs cost one round trip.
// Expiry is decided by the gateway's TimeProvider (the value carries ExpiresAt); Redis TTLs only collect garbage.
internal sealed partial class RedisGatewayStore : IGatewayStore, IApproximateStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly StoreKeys _keys;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<RedisGatewayStore> _logger;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _adminTimeout;
    private readonly TimeSpan _warmupTimeout;
    private readonly TimeSpan _warmupPeriod;
    private readonly int _warmupRequests;
    private int _warmupRequestsLeft;
    private int _warm;
    // Unix ms when the store path became warm (again); long.MaxValue before. A long, read and written atomically.
    private long _warmSinceMs = long.MaxValue;
    private readonly StoreClock _clock;
    private readonly CounterBatcher _batcher;
    private readonly StoreOutageLog _outage;
    private int _topology;

    // scheduleCounterCalls: where the batcher's sends run (the thread pool unless a test runs them by hand).
    public RedisGatewayStore(IConnectionMultiplexer redis, StoreOptions options, TimeProvider time, GatewayMetrics metrics, ILogger<RedisGatewayStore> logger, Action<Action>? scheduleCounterCalls = null)
    {
        _redis = redis;
        _keys = new StoreKeys(options.KeyPrefix);
        _clock = options.Clock;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _requestTimeout = TimeSpan.FromMilliseconds(options.OperationTimeoutMs);
        _warmupTimeout = TimeSpan.FromMilliseconds(Math.Max(options.OperationTimeoutMs, options.WarmupTimeoutMs));
        _warmupPeriod = TimeSpan.FromSeconds(options.WarmupSeconds);
        _warmupRequestsLeft = options.WarmupRequests;
        _outage = new StoreOutageLog(time, logger);
        // Admin calls are rare and a human waits on them; give them more room than the request path.
        _adminTimeout = TimeSpan.FromMilliseconds(Math.Max(options.OperationTimeoutMs, 2000));
        _batcher = new CounterBatcher(() => _redis.GetDatabase(), Now, options.MaxRequestsPerCall, metrics.CounterCall, scheduleCounterCalls);
        _warmupRequests = options.WarmupRequests;
        // A restored connection is cold again (a restarted Redis has lost its scripts too): the scripts are loaded
        // again in the background and the warm-up timeout applies afresh, so the first burst after an outage is
        // counted like the first burst after a start.
        _redis.ConnectionRestored += (_, _) => _ = RewarmAsync();
        // Lifts announced by any instance (this one too). The subscription is registered even when Redis is not
        // reachable yet; StackExchange.Redis makes it on every (re)connect.
        try
        {
            _redis.GetSubscriber().Subscribe(_keys.LiftChannel, OnLift, CommandFlags.FireAndForget);
            _redis.GetSubscriber().Subscribe(_keys.ErasureChannel, (_, message) => SubjectErased?.Invoke((string?)message ?? ""), CommandFlags.FireAndForget);
        }
        catch (RedisConnectionException)
        {
            // Not connected at start: the connection log says so; the subscription is made once it connects.
        }
    }

    private void OnLift(RedisChannel channel, RedisValue message)
    {
        foreach (var key in ((string?)message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            LimitLifted?.Invoke(key);
        }
    }

    public event Action<string>? LimitLifted;

    // Raised here at once, then published for the other instances (at most once each; an instance that is
    // disconnected at that moment keeps a cached refusal until its Retry-After, at most).
    public async Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken)
    {
        foreach (var key in localKeys)
        {
            LimitLifted?.Invoke(key);
        }

        await Guard("announce-lift", _redis.GetSubscriber().PublishAsync(_keys.LiftChannel, string.Join('\n', localKeys)), _adminTimeout, cancellationToken);
    }

    public event Action<string>? SubjectErased;

    public async Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken)
    {
        SubjectErased?.Invoke(subjectId);
        await Guard("announce-erasure", _redis.GetSubscriber().PublishAsync(_keys.ErasureChannel, subjectId), _adminTimeout, cancellationToken);
    }

    // SCAN MATCH on every primary (a subject's keys sit in several hash slots: its own tag's and, for limits on
    // combinations, the first part's), each key deleted on its own (one DEL per key routes to its slot on a
    // cluster), then its entries in the ban index. Every primary must answer, or the erasure is not complete and
    // the caller hears so (it can be repeated: erasing twice removes nothing more).
    public async Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken)
    {
        var primaries = _redis.GetServers().Where(server => !server.IsReplica).ToArray();
        if (primaries.Length == 0 || primaries.Any(server => !server.IsConnected))
        {
            throw new StoreUnavailableException("erase-subject", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "A primary is not connected."));
        }

        var db = _redis.GetDatabase();
        var removed = 0L;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            foreach (var primary in primaries)
            {
                var page = new List<RedisKey>(256);
                await foreach (var key in primary.KeysAsync(db.Database, _keys.SubjectKeys(subjectId), 500).WithCancellation(timeout.Token))
                {
                    page.Add(key);
                    if (page.Count == page.Capacity)
                    {
                        removed += await DeleteAsync(db, page, timeout.Token);
                    }
                }

                removed += await DeleteAsync(db, page, timeout.Token);
            }

            removed += await Guard("erase-subject", db.SortedSetRemoveAsync(_keys.BanIndex,
                [StoreKeys.SubjectTag(BanSubjectKind.Address, subjectId), StoreKeys.SubjectTag(BanSubjectKind.Prefix, subjectId)]), _adminTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException("erase-subject", e);
        }

        return removed;
    }

    private async Task<long> DeleteAsync(IDatabase db, List<RedisKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var deleted = await Guard("erase-subject", Task.WhenAll(keys.Select(key => db.KeyDeleteAsync(key))), _adminTimeout, cancellationToken);
        keys.Clear();
        return deleted.Count(d => d);
    }

    // Approximate counting's sync (Counters/ApproximateCounting.cs): on a single Redis up to 256 windows per
    // approx_sync.lua call; on Redis Cluster one call per window (its key alone decides the slot). All pipelined. On the
    // request path (a key read before it is counted) within the request timeout; the background sync gets the admin one.
    public async Task<(long Current, long Previous)[]> SyncWindowsAsync(IReadOnlyList<WindowSync> windows, bool onRequestPath, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var chunk = IsStandalone() ? 256 : 1;
        var calls = new List<Task<RedisResult>>();
        for (var start = 0; start < windows.Count; start += chunk)
        {
            var count = Math.Min(chunk, windows.Count - start);
            var keys = new RedisKey[count];
            var args = new RedisValue[count * 4];
            for (var i = 0; i < count; i++)
            {
                var window = windows[start + i];
                keys[i] = _keys.Limit(window.Tag, window.Suffix);
                (args[i * 4], args[(i * 4) + 1], args[(i * 4) + 2], args[(i * 4) + 3]) = (window.WindowMs, window.Index, window.PreviousDelta, window.CurrentDelta);
            }

            calls.Add(db.ScriptEvaluateAsync(LuaScripts.ApproxSync, keys, args));
        }

        var replies = await Guard("approx-sync", Task.WhenAll(calls), onRequestPath ? RequestTimeout() : _adminTimeout, cancellationToken);
        var counts = new (long, long)[windows.Count];
        var at = 0;
        foreach (var reply in replies)
        {
            var values = (RedisResult[])reply!;
            for (var i = 0; i < values.Length; i += 2)
            {
                counts[at++] = ((long)values[i], (long)values[i + 1]);
            }
        }

        return counts;
    }

    // Approximate counting's ban cache: the ban keys of many subjects, one MGET per 256 on a single Redis, one GET
    // each on Redis Cluster, pipelined. On the request path within the request timeout; the background refresh gets
    // the admin timeout (it may read thousands).
    public async Task<BanRecord?[]> ReadBansAsync(IReadOnlyList<BanSubject> subjects, bool onRequestPath, CancellationToken cancellationToken)
    {
        var timeout = onRequestPath ? RequestTimeout() : _adminTimeout;
        var db = _redis.GetDatabase();
        var values = new RedisValue[subjects.Count];
        if (IsStandalone())
        {
            var reads = subjects.Chunk(256).Select(part => db.StringGetAsync(part.Select(_keys.Ban).ToArray())).ToArray();
            var answers = await Guard("read-bans", Task.WhenAll(reads), timeout, cancellationToken);
            answers.SelectMany(a => a).ToArray().CopyTo(values, 0);
        }
        else
        {
            var reads = subjects.Select(subject => db.StringGetAsync(_keys.Ban(subject))).ToArray();
            (await Guard("read-bans", Task.WhenAll(reads), timeout, cancellationToken)).CopyTo(values, 0);
        }

        var now = _time.GetUtcNow();
        return values.Select(value => Live(value, now)).ToArray();
    }

    public string Name => "redis";

    // One round trip either way. On a single Redis the request is one section of a counters.lua call that may carry
    // other requests arriving at the same moment (CounterBatcher); on Redis Cluster each hash-tag group of the
    // request is its own call (its keys share a slot), the calls pipelined together.
    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken) =>
        CountAsync(request, RequestTimeout(), cancellationToken);

    private async ValueTask<CounterResult> CountAsync(CounterRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var groups = request.Groups;
        CounterSection[] sections;
        if (IsStandalone())
        {
            sections = [Section(groups, 0, groups.Count - 1)];
            await Guard("count", _batcher.Enqueue(sections[0]), timeout, cancellationToken);
        }
        else
        {
            sections = new CounterSection[groups.Count];
            var calls = new Task[groups.Count];
            var db = _redis.GetDatabase();
            var now = Now();
            for (var g = 0; g < groups.Count; g++)
            {
                sections[g] = Section(groups, g, g);
                // Every call is written before any answer is awaited: StackExchange.Redis pipelines them on one connection.
                _ = CounterCall.RunAsync(db, now, sections, g, 1);
                calls[g] = sections[g].Answered;
            }

            await Guard("count", Task.WhenAll(calls), timeout, cancellationToken);
        }

        BanRecord? found = null;
        var decisions = new RateLimitDecision[request.LimitCount];
        // A limit the request does not touch (a route-wide quota for a trusted device) stays unknown: allowed.
        Array.Fill(decisions, RateLimitDecision.Unknown);
        var group = 0;
        foreach (var section in sections)
        {
            var reply = section.Reply;
            var r = section.Offset;
            if (found is null && !reply[r].IsNull)
            {
                found = Live((RedisValue)reply[r], DateTimeOffset.FromUnixTimeMilliseconds((long)reply[0]));
            }

            r++;
            var last = sections.Length == 1 ? groups.Count - 1 : group;
            for (; group <= last; group++)
            {
                foreach (var limit in groups[group].Limits)
                {
                    decisions[limit.Slot] = CountersScript.ReadDecision(reply, ref r);
                }
            }
        }

        return new CounterResult(found, decisions);
    }

    private RedisValue Now() => _clock == StoreClock.Gateway ? _time.GetUtcNow().ToUnixTimeMilliseconds() : 0;

    // KEYS and limits of groups[first..last] as one section of a counters.lua call (layout: CountersScript).
    private CounterSection Section(IReadOnlyList<CounterGroup> groups, int first, int last)
    {
        int bans = 0, limits = 0, keyCount = 0;
        for (var g = first; g <= last; g++)
        {
            bans += groups[g].Ban is null ? 0 : 1;
            limits += groups[g].Limits.Count;
            foreach (var limit in groups[g].Limits)
            {
                keyCount += CountersScript.KeysOf(limit);
            }
        }

        var banKeys = bans == 0 ? [] : new RedisKey[bans];
        var keys = new RedisKey[keyCount];
        var sectionLimits = new CounterLimit[limits];
        var b = 0;
        for (var g = first; g <= last; g++)
        {
            if (groups[g].Ban is { } ban)
            {
                banKeys[b++] = _keys.Ban(ban);
            }
        }

        int k = 0, l = 0;
        for (var g = first; g <= last; g++)
        {
            foreach (var limit in groups[g].Limits)
            {
                CountersScript.WriteKeys(_keys, groups[g].Tag, limit, keys, ref k);
                sectionLimits[l++] = limit;
            }
        }

        return new CounterSection(banKeys, keys, sectionLimits);
    }

    // Standalone (or a replica set) until a connected server says it is part of a cluster; unknown counts as cluster,
    // whose one-call-per-group form works everywhere.
    private bool IsStandalone()
    {
        var topology = Volatile.Read(ref _topology);
        if (topology == 0)
        {
            var servers = _redis.GetServers();
            if (servers.Length > 0 && servers.All(server => server.IsConnected))
            {
                topology = servers.Any(server => server.ServerType == ServerType.Cluster) ? 2 : 1;
                Volatile.Write(ref _topology, topology);
            }
        }

        return topology == 1;
    }

    public async ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var byAddress = db.StringGetAsync(_keys.Ban(address));
        var byPrefix = db.StringGetAsync(_keys.Ban(prefix));
        await Guard("find-ban", Task.WhenAll(byAddress, byPrefix), RequestTimeout(), cancellationToken);
        return Live(byAddress.Result) ?? Live(byPrefix.Result);
    }

    public async Task AddBanAsync(BanRecord record, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var ttl = record.ExpiresAt - now;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var db = _redis.GetDatabase();
        var json = JsonSerializer.Serialize(StoredBan.From(record), StoreJsonContext.Default.StoredBan);
        // The index entry goes first: a ban visible to lookups is then always visible to the admin list.
        await Guard("add-ban", db.ScriptEvaluateAsync(LuaScripts.BanIndexAdd, [_keys.BanIndex], [record.Subject.Token, record.ExpiresAt.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()]), _adminTimeout, cancellationToken);
        await Guard("add-ban", db.StringSetAsync(_keys.Ban(record.Subject), json, ttl), _adminTimeout, cancellationToken);
    }

    public async Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var existing = db.StringGetDeleteAsync(_keys.Ban(subject));
        var unindexed = db.SortedSetRemoveAsync(_keys.BanIndex, subject.Token);
        await Guard("remove-ban", Task.WhenAll(existing, unindexed), _adminTimeout, cancellationToken);
        return Live(existing.Result) is not null;
    }

    public async Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var tokensTask = db.ScriptEvaluateAsync(LuaScripts.BanIndexLive, [_keys.BanIndex], [now]);
        await Guard("list-bans", tokensTask, _adminTimeout, cancellationToken);
        var tokens = (RedisValue[]?)tokensTask.Result ?? [];
        var subjects = tokens.Select(t => BanSubject.TryParseToken(t.ToString(), out var s) ? s : (BanSubject?)null).OfType<BanSubject>().ToArray();
        var reads = subjects.Select(s => db.StringGetAsync(_keys.Ban(s))).ToArray();
        await Guard("list-bans", Task.WhenAll(reads), _adminTimeout, cancellationToken);
        return reads.Select(r => Live(r.Result)).OfType<BanRecord>().ToList();
    }

    public async ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var key = _keys.Claim(id);
        var set = db.StringSetAsync(key, claimant, ttl, When.NotExists);
        await Guard("claim", set, RequestTimeout(), cancellationToken);
        if (set.Result)
        {
            return true;
        }

        var holder = db.StringGetAsync(key);
        await Guard("claim", holder, RequestTimeout(), cancellationToken);
        return holder.Result == claimant;
    }

    public async Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken) =>
        await Guard("release-claim", _redis.GetDatabase().ScriptEvaluateAsync(LuaScripts.ClaimRelease, [_keys.Claim(id)], [claimant]), RequestTimeout(), cancellationToken);

    // The request path's store timeout: OperationTimeoutMs once the process is warm; WarmupTimeoutMs for its first
    // WarmupRequests operations within WarmupSeconds of the warm-up, until the first failure (StoreOptions).
    private TimeSpan RequestTimeout()
    {
        if (Volatile.Read(ref _warmupRequestsLeft) <= 0)
        {
            return _requestTimeout;
        }

        if (Interlocked.Decrement(ref _warmupRequestsLeft) < 0 || _time.GetUtcNow().ToUnixTimeMilliseconds() - Volatile.Read(ref _warmSinceMs) > (long)_warmupPeriod.TotalMilliseconds)
        {
            Volatile.Write(ref _warmupRequestsLeft, 0);
            return _requestTimeout;
        }

        return _warmupTimeout;
    }

    // Before /readyz says ready: a connection to every endpoint, every script loaded on every primary (no NOSCRIPT
    // round trip on a first request), and the counters call run on every shard, once alone and then as concurrent
    // calls the batcher combines, so that code is compiled too. The calls read a ban flag that never exists and
    // write nothing.
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        var servers = _redis.GetServers();
        if (servers.Length == 0 || !servers.All(server => server.IsConnected))
        {
            throw new StoreUnavailableException("warm-up", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not every Redis endpoint is connected yet."));
        }

        var primaries = servers.Where(server => !server.IsReplica).ToArray();
        foreach (var primary in primaries)
        {
            foreach (var script in LuaScripts.All)
            {
                await Guard("warm-up", primary.ScriptLoadAsync(script), _adminTimeout, cancellationToken);
            }
        }

        var groups = WarmupGroups(primaries);
        var request = new CounterRequest(groups, 0);
        await CountAsync(request, _adminTimeout, cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => CountAsync(request, _adminTimeout, cancellationToken).AsTask()));
        Interlocked.CompareExchange(ref _warmSinceMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), long.MaxValue);

        Volatile.Write(ref _warm, 1);
    }

    private async Task RewarmAsync()
    {
        if (Volatile.Read(ref _warm) == 0)
        {
            return;
        }

        Volatile.Write(ref _warmSinceMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        Volatile.Write(ref _warmupRequestsLeft, _warmupRequests);
        try
        {
            foreach (var primary in _redis.GetServers().Where(server => !server.IsReplica && server.IsConnected))
            {
                foreach (var script in LuaScripts.All)
                {
                    await Guard("warm-up", primary.ScriptLoadAsync(script), _adminTimeout, CancellationToken.None);
                }
            }
        }
        catch (StoreUnavailableException)
        {
            // Counted and logged by Guard; a script the server lacks is loaded by its first call instead.
        }
    }

    // One group per shard: a ban flag under a hash tag whose slot that primary serves (one group on a single Redis).
    private List<CounterGroup> WarmupGroups(IServer[] primaries)
    {
        var cluster = primaries.Select(primary => primary.ClusterConfiguration).FirstOrDefault(config => config is not null);
        var wanted = cluster?.Nodes.Where(node => !node.IsReplica && node.Slots.Count > 0).Select(node => node.NodeId).ToHashSet() ?? [];
        var groups = new List<CounterGroup>();
        for (var i = 0; groups.Count == 0 || (wanted.Count > 0 && i < 100_000); i++)
        {
            var subject = new BanSubject(BanSubjectKind.Address, $"{StoreKeys.WarmupTag}-{i}");
            if (cluster is not null && !wanted.Remove(cluster.GetBySlot(_keys.Ban(subject))?.NodeId ?? ""))
            {
                continue;
            }

            var group = new CounterGroup(subject.Token) { Ban = subject };
            groups.Add(group);
        }

        return groups;
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _warm) == 0)
        {
            return false;
        }

        try
        {
            await Guard("ping", _redis.GetDatabase().PingAsync(), _adminTimeout, cancellationToken);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    private BanRecord? Live(RedisValue value) => Live(value, _time.GetUtcNow());

    private BanRecord? Live(RedisValue value, DateTimeOffset now)
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

    private async Task<T> Guard<T>(string operation, Task<T> task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Guard(operation, (Task)task, timeout, cancellationToken);
        return await task;
    }

    private async Task Guard(string operation, Task task, TimeSpan timeout, CancellationToken cancellationToken)
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
            if (Volatile.Read(ref _warm) == 1)
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
