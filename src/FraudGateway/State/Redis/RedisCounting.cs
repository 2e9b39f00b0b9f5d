using FraudGateway.RateLimiting;
using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// Rate-limit counting on Redis: the request path's counters.lua calls (exact) and approximate counting's window sync
// (approx_sync.lua).
internal sealed class RedisCounting : ICounterStore
{
    private readonly RedisStoreCore _core;
    private readonly CounterBatcher _batcher;

    // scheduleCounterCalls: where the batcher's sends run (the thread pool unless a test runs them by hand).
    public RedisCounting(RedisStoreCore core, Action<int> counterCall, Action<Action>? scheduleCounterCalls, int maxRequestsPerCall)
    {
        _core = core;
        _batcher = new CounterBatcher(() => core.Redis.GetDatabase(), core.Now, maxRequestsPerCall, counterCall, scheduleCounterCalls);
    }

    // One round trip either way. On a single Redis the request is one section of a counters.lua call that may carry
    // other requests arriving at the same moment (CounterBatcher); on Redis Cluster each hash-tag group of the
    // request is its own call (its keys share a slot), the calls pipelined together.
    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken) =>
        CountAsync(request, _core.RequestTimeout(), cancellationToken);

    public async ValueTask<CounterResult> CountAsync(CounterRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var groups = request.Groups;
        CounterSection[] sections;
        if (_core.IsStandalone())
        {
            sections = [Section(groups, 0, groups.Count - 1)];
            await _core.Guard("count", _batcher.Enqueue(sections[0]), timeout, cancellationToken);
        }
        else
        {
            sections = new CounterSection[groups.Count];
            var calls = new Task[groups.Count];
            var db = _core.Redis.GetDatabase();
            var now = _core.Now();
            for (var g = 0; g < groups.Count; g++)
            {
                sections[g] = Section(groups, g, g);
                // Every call is written before any answer is awaited: StackExchange.Redis pipelines them on one connection.
                _ = CounterCall.RunAsync(db, now, sections, g, 1);
                calls[g] = sections[g].Answered;
            }

            await _core.Guard("count", Task.WhenAll(calls), timeout, cancellationToken);
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
                found = _core.Live((RedisValue)reply[r], DateTimeOffset.FromUnixTimeMilliseconds((long)reply[0]));
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

    // Approximate counting's sync (Counters/ApproximateCounting.cs): on a single Redis up to 256 windows per
    // approx_sync.lua call; on Redis Cluster one call per window (its key alone decides the slot). All pipelined. On the
    // request path (a key read before it is counted) within the request timeout; the background sync gets the admin one.
    public async Task<(long Current, long Previous)[]> SyncWindowsAsync(IReadOnlyList<WindowSync> windows, bool onRequestPath, CancellationToken cancellationToken)
    {
        var db = _core.Redis.GetDatabase();
        var chunk = _core.IsStandalone() ? 256 : 1;
        var calls = new List<Task<RedisResult>>();
        for (var start = 0; start < windows.Count; start += chunk)
        {
            var count = Math.Min(chunk, windows.Count - start);
            var keys = new RedisKey[count];
            var args = new RedisValue[count * 4];
            for (var i = 0; i < count; i++)
            {
                var window = windows[start + i];
                keys[i] = _core.Keys.Limit(window.Tag, window.Suffix);
                (args[i * 4], args[(i * 4) + 1], args[(i * 4) + 2], args[(i * 4) + 3]) = (window.WindowMs, window.Index, window.PreviousDelta, window.CurrentDelta);
            }

            calls.Add(db.ScriptEvaluateAsync(LuaScripts.ApproxSync, keys, args));
        }

        var replies = await _core.Guard("approx-sync", Task.WhenAll(calls), onRequestPath ? _core.RequestTimeout() : _core.AdminTimeout, cancellationToken);
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
                banKeys[b++] = _core.Keys.Ban(ban);
            }
        }

        int k = 0, l = 0;
        for (var g = first; g <= last; g++)
        {
            foreach (var limit in groups[g].Limits)
            {
                CountersScript.WriteKeys(_core.Keys, groups[g].Tag, limit, keys, ref k);
                sectionLimits[l++] = limit;
            }
        }

        return new CounterSection(banKeys, keys, sectionLimits);
    }
}
