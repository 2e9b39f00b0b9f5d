using System.Collections.Concurrent;
using FraudGateway.State;

namespace FraudGateway.Counters;

// Approximate counting's ban cache: each subject's ban read once, then read again every sync interval while the
// subject is in use (a ban or an unban reaches every instance within an interval; a subject seen less often is read
// again once its answer is older than maxStaleMs).
internal sealed class ApproximateBanCache(IApproximateStore? store, long maxStaleMs)
{
    private readonly ConcurrentDictionary<string, ApproximateBanEntry> _bans = new(StringComparer.Ordinal);

    // The bans the next sync reads again: each entry is queued once, when it is read and when a request first uses it
    // after that (scanning every cached ban, up to a minute's subjects, cost as much as scanning every window).
    private readonly ConcurrentQueue<ApproximateBanEntry> _bansInUse = new();

    // The first live ban among the request's subjects; subjects not in the cache are read now, in one call.
    public async ValueTask<BanRecord?> FirstLiveAsync(CounterRequest request, long nowMs, CancellationToken cancellationToken)
    {
        List<BanSubject>? unknown = null;
        BanRecord? found = null;
        foreach (var group in request.Groups)
        {
            if (group.Ban is not { } subject)
            {
                continue;
            }

            if (_bans.TryGetValue(subject.Token, out var entry) && nowMs - entry.FetchedMs <= maxStaleMs)
            {
                entry.LastUsedMs = nowMs;
                if (entry.TryQueue())
                {
                    _bansInUse.Enqueue(entry);
                }

                found ??= entry.Live(nowMs);
            }
            else
            {
                (unknown ??= []).Add(subject);
            }
        }

        if (unknown is null || store is null)
        {
            return found;
        }

        var read = await store.ReadBansAsync(unknown, onRequestPath: true, cancellationToken);
        for (var i = 0; i < unknown.Count; i++)
        {
            var entry = new ApproximateBanEntry(unknown[i], read[i], nowMs) { LastUsedMs = nowMs };
            entry.TryQueue();
            _bans[unknown[i].Token] = entry;
            _bansInUse.Enqueue(entry);
            found ??= read[i];
        }

        return found;
    }

    // Every ban in use is read again, in one batch.
    public async Task RefreshAsync(long nowMs, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        List<ApproximateBanEntry>? used = null;
        for (var queued = _bansInUse.Count; queued > 0 && _bansInUse.TryDequeue(out var entry); queued--)
        {
            // Only a subject's current entry: one read again on the request path since, or swept, or erased, is not.
            if (_bans.TryGetValue(entry.Subject.Token, out var current) && ReferenceEquals(current, entry))
            {
                (used ??= []).Add(entry);
            }
        }

        if (used is not null)
        {
            var subjects = new BanSubject[used.Count];
            for (var i = 0; i < subjects.Length; i++)
            {
                subjects[i] = used[i].Subject;
            }

            BanRecord?[] bans;
            try
            {
                bans = await store.ReadBansAsync(subjects, onRequestPath: false, cancellationToken);
            }
            catch
            {
                // Still in use: read at the next sync (they stay marked queued).
                foreach (var entry in used)
                {
                    _bansInUse.Enqueue(entry);
                }

                throw;
            }

            for (var i = 0; i < subjects.Length; i++)
            {
                var fresh = new ApproximateBanEntry(subjects[i], bans[i], nowMs) { LastUsedMs = used[i].LastUsedMs };
                // Used while this read was under way: read again next interval.
                if (_bans.TryUpdate(subjects[i].Token, fresh, used[i]) && fresh.LastUsedMs >= nowMs && fresh.TryQueue())
                {
                    _bansInUse.Enqueue(fresh);
                }
            }
        }
    }

    // A subject was erased (on any instance).
    public void ForgetSubject(string subjectId)
    {
        foreach (var key in _bans.Keys.Where(k => k.Contains(subjectId, StringComparison.Ordinal)))
        {
            _bans.TryRemove(key, out _);
        }
    }

    // Bans not used for a minute.
    public void SweepExpired(long nowMs)
    {
        foreach (var (key, entry) in _bans)
        {
            if (nowMs - entry.LastUsedMs > 60_000)
            {
                _bans.TryRemove(key, out _);
            }
        }
    }
}
