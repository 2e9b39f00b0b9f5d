using System.Collections.Concurrent;
using FraudGateway.RateLimiting;

namespace FraudGateway.State.InMemory;

// Rate-limit windows in process, with the same arithmetic as the Redis script (SlidingWindowAlgorithm,
// TokenBucketAlgorithm). Windows are held per subject: one entry per tag (an address, a prefix, an account, a route)
// holds every window keyed under it, under one lock, as one counters.lua call holds a hash tag's keys, so a request's
// group is one lookup and one lock (docs/performance.md, "Design figures"). Expired windows are swept by the store.
internal sealed class InMemoryCounting(TimeProvider time, InMemoryBans bans)
{
    private readonly ConcurrentDictionary<string, SubjectWindows> _subjects = new(StringComparer.Ordinal);

    // Windows held across all subjects (HeldRecords), kept as they are added and removed.
    private int _windows;

    public int HeldWindows => Volatile.Read(ref _windows);

    public ValueTask<CounterResult> CountAsync(CounterRequest request)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        BanRecord? ban = null;
        var decisions = new RateLimitDecision[request.LimitCount];
        // A limit the request does not touch (a route-wide quota for a trusted device) stays unknown: allowed.
        Array.Fill(decisions, RateLimitDecision.Unknown);
        foreach (var group in request.Groups)
        {
            if (ban is null && group.Ban is { } subject)
            {
                ban = bans.Live(subject);
            }

            if (group.Limits.Count > 0)
            {
                CountGroup(group, decisions, nowMs);
            }
        }

        return ValueTask.FromResult(new CounterResult(ban, decisions));
    }

    // Every window whose key names the subject, and the subject as a member of any distinct-count window.
    public long Erase(string subjectId)
    {
        var removed = 0L;
        foreach (var (tag, subject) in _subjects)
        {
            lock (subject)
            {
                if (tag.Contains(subjectId, StringComparison.Ordinal))
                {
                    removed += Drop(tag, subject);
                    continue;
                }

                var (windows, members) = subject.Erase(subjectId);
                Interlocked.Add(ref _windows, -windows);
                removed += windows + members;
            }
        }

        return removed;
    }

    public void Sweep(long nowMs)
    {
        foreach (var (tag, subject) in _subjects)
        {
            lock (subject)
            {
                Interlocked.Add(ref _windows, -subject.RemoveExpired(nowMs));
                if (subject.Count == 0)
                {
                    Drop(tag, subject);
                }
            }
        }
    }

    // One group: its subject's entry looked up once and locked once for all its limits.
    private void CountGroup(CounterGroup group, RateLimitDecision[] decisions, long nowMs)
    {
        // Only a counted limit creates state: checks and resets of a subject with none write nothing.
        var counts = false;
        foreach (var limit in group.Limits)
        {
            counts |= limit.Mode == CounterMode.Count;
        }

        while (true)
        {
            SubjectWindows? subject;
            if (counts)
            {
                subject = _subjects.GetOrAdd(group.Tag, static _ => new SubjectWindows());
            }
            else if (!_subjects.TryGetValue(group.Tag, out subject))
            {
                foreach (var limit in group.Limits)
                {
                    decisions[limit.Slot] = limit.Mode == CounterMode.Reset ? Fresh(limit) : LimitState.Empty.Count(limit, nowMs);
                }

                return;
            }

            lock (subject)
            {
                // The sweep or an erasure dropped this entry after the lookup found it: look again (a new entry).
                if (subject.Dropped)
                {
                    continue;
                }

                foreach (var limit in group.Limits)
                {
                    decisions[limit.Slot] = CountOne(subject, limit, nowMs);
                }

                return;
            }
        }
    }

    private RateLimitDecision CountOne(SubjectWindows subject, CounterLimit limit, long nowMs)
    {
        switch (limit.Mode)
        {
            case CounterMode.Reset:
                if (subject.Remove(limit.KeySuffix))
                {
                    Interlocked.Decrement(ref _windows);
                }

                return Fresh(limit);
            case CounterMode.Check:
                // A check writes nothing: a window without state is answered from the one empty state, shared and
                // never written (a check changes no field).
                return (subject.Find(limit.KeySuffix) ?? LimitState.Empty).Count(limit, nowMs);
            default:
                var state = subject.Find(limit.KeySuffix);
                if (state is null)
                {
                    state = subject.Add(limit.KeySuffix);
                    Interlocked.Increment(ref _windows);
                }

                return state.Count(limit, nowMs);
        }
    }

    private static RateLimitDecision Fresh(CounterLimit limit) => new(true, limit.Rule.Limit, 0, 0);

    // Under the subject's lock: marks the entry dropped (a request that found it looks again) and removes it.
    private int Drop(string tag, SubjectWindows subject)
    {
        subject.Dropped = true;
        _subjects.TryRemove(new KeyValuePair<string, SubjectWindows>(tag, subject));
        Interlocked.Add(ref _windows, -subject.Count);
        return subject.Count;
    }
}
