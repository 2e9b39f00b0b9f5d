using System.Text.Json;
using FraudGateway.Observation;
using FraudGateway.State;
using StackExchange.Redis;

namespace FraudGateway.Decisions;

// A capped stream per policy (key formats: StoreKeys), one JSON field per entry. Each append is one fire-and-forget
// script call (JsonStreams.Append: MAXLEN ~ MaxEntriesPerPolicy, entries older than TtlSeconds trimmed on Redis'
// clock, the stream expiring when idle); the request never waits for it. A record written while Redis is down is lost (and counted); decisions themselves are unaffected.
internal sealed class RedisDecisionStore(IConnectionMultiplexer redis, StoreOptions storeOptions, DecisionOptions options, TimeProvider time, GatewayMetrics metrics) : IDecisionStore
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private readonly StoreKeys _keys = new(storeOptions.KeyPrefix);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _maintained = new(StringComparer.Ordinal);

    private RedisKey StreamKey(string policy) => _keys.DecisionStream(policy);

    private RedisKey PolicyIndex => _keys.DecisionPolicies;

    private RedisKey LabelKey(string requestId) => _keys.DecisionLabel(requestId);

    public async Task SetLabelAsync(string requestId, DecisionLabel label, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(label, DecisionJsonContext.Default.DecisionLabel);
        await Guard(redis.GetDatabase().StringSetAsync(LabelKey(requestId), json, TimeSpan.FromSeconds(options.TtlSeconds)), cancellationToken);
    }

    public async Task<bool> RemoveLabelAsync(string requestId, CancellationToken cancellationToken) =>
        await Guard(redis.GetDatabase().KeyDeleteAsync(LabelKey(requestId)), cancellationToken);

    public async Task<IReadOnlyDictionary<string, DecisionLabel>> GetLabelsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken)
    {
        var ids = requestIds.Distinct(StringComparer.Ordinal).ToArray();
        var found = new Dictionary<string, DecisionLabel>(StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return found;
        }

        var values = await Guard(redis.GetDatabase().StringGetAsync(ids.Select(LabelKey).ToArray()), cancellationToken);
        for (var i = 0; i < ids.Length; i++)
        {
            if (!values[i].IsNullOrEmpty)
            {
                try
                {
                    if (JsonSerializer.Deserialize((string)values[i]!, DecisionJsonContext.Default.DecisionLabel) is { } label)
                    {
                        found[ids[i]] = label;
                    }
                }
                catch (JsonException)
                {
                    // A label this version cannot read counts as none.
                }
            }
        }

        return found;
    }

    // Every policy's stream read whole (each is capped at about MaxEntriesPerPolicy), the subject's entries deleted
    // by id (XDEL) and their labels with them. An entry appended while this runs is not seen; erasing again finds it.
    public async Task<(int Entries, int Labels)> EraseAsync(string subjectId, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var policies = (await Guard(db.SortedSetRangeByRankAsync(PolicyIndex), cancellationToken)).Select(p => p.ToString()).ToArray();
        int entries = 0, labels = 0;
        foreach (var policy in policies)
        {
            var found = new List<DecisionEntry>();
            JsonStreams.Read(await Guard(db.StreamRangeAsync(StreamKey(policy)), cancellationToken), DecisionJsonContext.Default.DecisionEntry,
                static (entry, id) => entry.Id = id, found);
            var erased = found.Where(entry => entry.Concerns(subjectId)).ToList();
            if (erased.Count == 0)
            {
                continue;
            }

            entries += (int)await Guard(db.StreamDeleteAsync(StreamKey(policy), erased.Select(e => (RedisValue)e.Id).ToArray()), cancellationToken);
            // One DEL per label: on a cluster each routes to its slot (the labels share one hash tag today, but need not).
            var deleted = await Guard(Task.WhenAll(erased.Select(e => db.KeyDeleteAsync(LabelKey(e.RequestId)))), cancellationToken);
            labels += deleted.Count(d => d);
        }

        return (entries, labels);
    }

    public void Append(DecisionEntry entry)
    {
        try
        {
            var db = redis.GetDatabase();
            var ttl = TimeSpan.FromSeconds(options.TtlSeconds);
            JsonStreams.Append(db, StreamKey(entry.Policy), JsonSerializer.Serialize(entry, DecisionJsonContext.Default.DecisionEntry), options.MaxEntriesPerPolicy, ttl);
            // The policy index at most once a second per policy: one script call per record, not three commands.
            var second = time.GetUtcNow().ToUnixTimeSeconds();
            if (_maintained.TryGetValue(entry.Policy, out var last) && last == second)
            {
                return;
            }

            _maintained[entry.Policy] = second;
            var batch = db.CreateBatch();
            _ = batch.SortedSetAddAsync(PolicyIndex, entry.Policy, time.GetUtcNow().ToUnixTimeMilliseconds(), CommandFlags.FireAndForget);
            _ = batch.KeyExpireAsync(PolicyIndex, ttl, CommandFlags.FireAndForget);
            batch.Execute();
        }
        catch (RedisException)
        {
            metrics.StoreFailure("record-decision", "error");
        }
    }

    public async Task<IReadOnlyList<DecisionEntry>> ReadAsync(string? policy, long sinceMs, int max, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow();
        var oldest = Math.Max(sinceMs, now.AddSeconds(-options.TtlSeconds).ToUnixTimeMilliseconds());
        string[] policies;
        if (policy is not null)
        {
            policies = [policy];
        }
        else
        {
            var known = db.SortedSetRangeByScoreAsync(PolicyIndex, now.AddSeconds(-options.TtlSeconds).ToUnixTimeMilliseconds(), double.PositiveInfinity);
            policies = (await Guard(known, cancellationToken)).Select(p => p.ToString()).ToArray();
        }

        // The newest max entries of each stream, then filtered by their own (gateway) time: stream ids are on Redis'
        // clock and are never compared with this one.
        var reads = policies.Select(p => db.StreamRangeAsync(StreamKey(p), "-", "+", max, Order.Descending)).ToArray();
        var entries = new List<DecisionEntry>();
        foreach (var read in reads)
        {
            JsonStreams.Read(await Guard(read, cancellationToken), DecisionJsonContext.Default.DecisionEntry, static (entry, id) => entry.Id = id, entries);
        }

        return entries.Where(e => e.Time.ToUnixTimeMilliseconds() >= oldest).ToList();
    }

    private async Task<T> Guard<T>(Task<T> task, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(ReadTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            metrics.StoreFailure("read-decisions", e is TimeoutException ? "timeout" : "error");
            throw new StoreUnavailableException("read-decisions", e);
        }
    }
}
