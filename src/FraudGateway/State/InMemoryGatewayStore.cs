using System.Collections.Concurrent;
using FraudGateway.RateLimiting;

namespace FraudGateway.State;

// The embedded default: one process, no Redis. Time is the injected TimeProvider. Rate-limit state uses the
// same arithmetic as the Redis script (SlidingWindowAlgorithm, TokenBucketAlgorithm). Expired entries are dropped
// when read and swept at most every SweepInterval, so memory follows live keys.
//
// Limit windows are held per subject: one entry per tag (an address, a prefix, an account, a route) holds every window
// keyed under it, under one lock, as one counters.lua call holds a hash tag's keys. A request's group is then one
// lookup and one lock, where a lookup per window cost the login policy nine (its four groups hold nine windows) and
// the benchmark's rate-limits route four (three groups); load-tests/StoreBench measures it (docs/performance.md,
// run X).
internal sealed class InMemoryGatewayStore(TimeProvider time) : IGatewayStore, IAgedState
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, BanRecord> _bans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubjectWindows> _subjects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Claimant, long ExpiresAtMs)> _claims = new(StringComparer.Ordinal);

    // Windows held across all subjects (HeldRecords), kept as they are added and removed.
    private int _windows;
    private long _nextSweepMs;

    public string Name => "in-memory";

    public event Action<string>? LimitLifted;

    // One process: the announcement reaches every listener there is, now.
    public Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken)
    {
        foreach (var key in localKeys)
        {
            LimitLifted?.Invoke(key);
        }

        return Task.CompletedTask;
    }

    public event Action<string>? SubjectErased;

    public Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken)
    {
        SubjectErased?.Invoke(subjectId);
        return Task.CompletedTask;
    }

    public Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken) => Task.FromResult(Erase(subjectId));

    // Every ban and limit whose key names the subject, and the subject as a member of any distinct-count window.
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

    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(nowMs);
        BanRecord? ban = null;
        var decisions = new RateLimitDecision[request.LimitCount];
        // A limit the request does not touch (a route-wide quota for a trusted device) stays unknown: allowed.
        Array.Fill(decisions, RateLimitDecision.Unknown);
        foreach (var group in request.Groups)
        {
            if (ban is null && group.Ban is { } subject)
            {
                ban = Live(subject);
            }

            if (group.Limits.Count > 0)
            {
                CountGroup(group, decisions, nowMs);
            }
        }

        return ValueTask.FromResult(new CounterResult(ban, decisions));
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
        SweepBans();
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
        SweepBans();
        var now = time.GetUtcNow();
        IReadOnlyList<BanRecord> live = _bans.Values.Where(b => b.ExpiresAt > now).OrderBy(b => b.ExpiresAt).ToList();
        return Task.FromResult(live);
    }

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task WarmAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        var claim = _claims.AddOrUpdate(
            id,
            static (_, arg) => (arg.claimant, arg.expires),
            static (_, existing, arg) => existing.ExpiresAtMs <= arg.now ? (arg.claimant, arg.expires) : existing,
            (claimant, expires: now + (long)ttl.TotalMilliseconds, now));
        return ValueTask.FromResult(claim.Claimant == claimant);
    }

    public Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken)
    {
        if (_claims.TryGetValue(id, out var claim) && claim.Claimant == claimant)
        {
            _claims.TryRemove(new KeyValuePair<string, (string, long)>(id, claim));
        }

        return Task.CompletedTask;
    }

    private BanRecord? Live(BanSubject subject)
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

    private void SweepBans()
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

    // Records held: bans, rate-limit windows (a Redis store's limit keys), claims.
    public int HeldRecords => _bans.Count + Volatile.Read(ref _windows) + _claims.Count;

    public void SweepExpired(DateTimeOffset now)
    {
        SweepBans();
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
        foreach (var (key, claim) in _claims)
        {
            if (claim.ExpiresAtMs <= nowMs)
            {
                _claims.TryRemove(new KeyValuePair<string, (string, long)>(key, claim));
            }
        }

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

    // Every window of one subject (one tag), by limit suffix: the few limits a policy keys under it (the login policy
    // four at most), so a linear search over the suffixes, by reference first (the rule's own suffix string), beats
    // any map. Guarded by locking the instance.
    private sealed class SubjectWindows
    {
        private string[] _suffixes = new string[2];
        private LimitState[] _states = new LimitState[2];

        public int Count { get; private set; }

        // Set when the entry leaves the store; a request that found it before then looks the tag up again.
        public bool Dropped { get; set; }

        public LimitState? Find(string suffix)
        {
            for (var i = 0; i < Count; i++)
            {
                if (ReferenceEquals(_suffixes[i], suffix))
                {
                    return _states[i];
                }
            }

            for (var i = 0; i < Count; i++)
            {
                if (string.Equals(_suffixes[i], suffix, StringComparison.Ordinal))
                {
                    return _states[i];
                }
            }

            return null;
        }

        public LimitState Add(string suffix)
        {
            if (Count == _suffixes.Length)
            {
                Array.Resize(ref _suffixes, Count * 2);
                Array.Resize(ref _states, Count * 2);
            }

            var state = new LimitState();
            (_suffixes[Count], _states[Count]) = (suffix, state);
            Count++;
            return state;
        }

        public bool Remove(string suffix) => RemoveWhere(static (s, _, key) => string.Equals(s, key, StringComparison.Ordinal), suffix) > 0;

        public int RemoveExpired(long nowMs) => RemoveWhere(static (_, state, now) => state.ExpiresAtMs <= now, nowMs);

        // Windows whose key names the subject (a combination it is a later part of) go; in the others it is
        // forgotten as a distinct-count member. Returns (windows removed, windows it was a member of).
        public (int Windows, int Members) Erase(string subjectId)
        {
            var windows = RemoveWhere(static (s, _, id) => s.Contains(id, StringComparison.Ordinal), subjectId);
            var members = 0;
            for (var i = 0; i < Count; i++)
            {
                members += _states[i].ForgetMember(subjectId) ? 1 : 0;
            }

            return (windows, members);
        }

        private int RemoveWhere<T>(Func<string, LimitState, T, bool> remove, T arg)
        {
            var kept = 0;
            for (var i = 0; i < Count; i++)
            {
                if (!remove(_suffixes[i], _states[i], arg))
                {
                    (_suffixes[kept], _states[kept]) = (_suffixes[i], _states[i]);
                    kept++;
                }
            }

            var removed = Count - kept;
            Array.Clear(_suffixes, kept, removed);
            Array.Clear(_states, kept, removed);
            Count = kept;
            return removed;
        }
    }

    // One window's state, the in-memory twin of the Redis hash / string and penalty key in counters.lua. Guarded by
    // its subject's lock.
    private sealed class LimitState
    {
        // A key with no state, for checks (Count in Check mode reads its fields and writes none).
        public static readonly LimitState Empty = new();

        private long _index = long.MinValue;
        private long _current;
        private long _previous;
        private long _tatUs;
        private long _penaltyUntilMs;

        public long ExpiresAtMs { get; private set; }

        private HashSet<string>? _distinctCurrent;
        private HashSet<string>? _distinctPrevious;

        public RateLimitDecision Count(CounterLimit limit, long nowMs)
        {
            var rule = limit.Rule;
            var check = limit.Mode == CounterMode.Check;
            RateLimitDecision decision;
            if (limit.CountsDistinct)
            {
                decision = CountDistinct(limit, nowMs);
            }
            else if (rule.Algorithm == RateLimitAlgorithm.SlidingWindow)
            {
                var index = nowMs / rule.WindowMs;
                long previous = _previous, current = _current;
                if (index != _index)
                {
                    previous = index == _index + 1 ? _current : 0;
                    current = 0;
                }

                current++;
                decision = SlidingWindowAlgorithm.Decide(limit.EffectiveLimit, rule.WindowMs, nowMs - (index * rule.WindowMs), previous, current);
                if (!check)
                {
                    (_index, _previous, _current) = (index, previous, current);
                    ExpiresAtMs = Math.Max(ExpiresAtMs, nowMs + (2 * rule.WindowMs));
                }
            }
            else
            {
                var nowUs = nowMs * 1000;
                var stored = _tatUs != 0 && (_tatUs / 1000) + 1000 > nowMs ? _tatUs : 0;
                (decision, var tat) = TokenBucketAlgorithm.Decide(limit.EffectiveLimit, rule.WindowMs, rule.Burst, nowUs, stored);
                if (!check)
                {
                    _tatUs = tat;
                    ExpiresAtMs = Math.Max(ExpiresAtMs, (_tatUs / 1000) + 1000);
                }
            }

            if (_penaltyUntilMs > nowMs)
            {
                decision = decision with { Allowed = false, Remaining = 0, RetryAfterMs = Math.Max(decision.RetryAfterMs, _penaltyUntilMs - nowMs) };
            }
            else if (!decision.Allowed && rule.PenaltyMs > 0 && !check)
            {
                _penaltyUntilMs = nowMs + rule.PenaltyMs;
                if (rule.CountsFailures)
                {
                    // As counters.lua mode 'f': the penalty alone decides how long a lockout lasts.
                    (_index, _previous, _current, _tatUs) = (long.MinValue, 0, 0, 0);
                }

                decision = decision with { RetryAfterMs = Math.Max(decision.RetryAfterMs, rule.PenaltyMs) };
                ExpiresAtMs = Math.Max(ExpiresAtMs, _penaltyUntilMs);
            }

            return decision;
        }

        // Held exactly here (unlike a HyperLogLog), so a member can be erased.
        public bool ForgetMember(string member) =>
            (_distinctCurrent?.Remove(member) ?? false) | (_distinctPrevious?.Remove(member) ?? false);

        // The in-memory twin of counters.lua mode 'd', with exact sets where Redis keeps HyperLogLogs.
        private RateLimitDecision CountDistinct(CounterLimit limit, long nowMs)
        {
            var rule = limit.Rule;
            var index = nowMs / rule.WindowMs;
            var untilEnd = rule.WindowMs - (nowMs - (index * rule.WindowMs));
            if (index != _index)
            {
                _distinctPrevious = index == _index + 1 ? _distinctCurrent : null;
                _distinctCurrent = null;
                _index = index;
            }

            (_distinctCurrent ??= new HashSet<string>(StringComparer.Ordinal)).Add(limit.Member ?? "");
            ExpiresAtMs = Math.Max(ExpiresAtMs, nowMs + (2 * rule.WindowMs));
            var count = _distinctPrevious is null ? _distinctCurrent.Count : _distinctCurrent.Union(_distinctPrevious).Count();
            if (count <= rule.Limit)
            {
                return new RateLimitDecision(true, rule.Limit - count, untilEnd + rule.WindowMs, 0);
            }

            var retry = _distinctPrevious is not null && _distinctCurrent.Count < rule.Limit ? untilEnd : untilEnd + rule.WindowMs;
            return new RateLimitDecision(false, 0, untilEnd + rule.WindowMs, retry);
        }
    }
}
