using System.Collections.Concurrent;
using FraudGateway.RateLimiting;

namespace FraudGateway.State;

// The embedded default: one process, no Redis. Time is the injected TimeProvider. Rate-limit state uses the
// same arithmetic as the Redis script (SlidingWindowAlgorithm, TokenBucketAlgorithm), under a lock per key.
// Expired entries are dropped when read and swept at most every SweepInterval, so memory follows live keys.
internal sealed class InMemoryGatewayStore(TimeProvider time) : IGatewayStore, IAgedState
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, BanRecord> _bans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<LocalLimitKey, LimitState> _limits = new();
    private readonly ConcurrentDictionary<string, (string Claimant, long ExpiresAtMs)> _claims = new(StringComparer.Ordinal);
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

        foreach (var (key, state) in _limits)
        {
            if (key.Names(subjectId))
            {
                removed += _limits.TryRemove(key, out _) ? 1 : 0;
                continue;
            }

            lock (state)
            {
                removed += state.ForgetMember(subjectId) ? 1 : 0;
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
        foreach (var group in request.Groups)
        {
            if (ban is null && group.Ban is { } subject)
            {
                ban = Live(subject);
            }

            foreach (var limit in group.Limits)
            {
                var key = new LocalLimitKey(group.Tag, limit.KeySuffix);
                if (limit.Mode == CounterMode.Reset)
                {
                    _limits.TryRemove(key, out _);
                    decisions[limit.Slot] = new RateLimitDecision(true, limit.Rule.Limit, 0, 0);
                    continue;
                }

                // A check writes nothing: a key without state is answered from the one empty state, shared and never
                // written (a check changes no field), so it takes no lock and allocates nothing.
                LimitState? state;
                if (limit.Mode != CounterMode.Check)
                {
                    state = _limits.GetOrAdd(key, static _ => new LimitState());
                }
                else if (!_limits.TryGetValue(key, out state))
                {
                    decisions[limit.Slot] = LimitState.Empty.Count(limit, nowMs);
                    continue;
                }

                lock (state)
                {
                    decisions[limit.Slot] = state.Count(limit, nowMs);
                }
            }
        }

        return ValueTask.FromResult(new CounterResult(ban, decisions));
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

    // Records held: bans, rate-limit keys, claims.
    public int HeldRecords => _bans.Count + _limits.Count + _claims.Count;

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

        foreach (var (key, state) in _limits)
        {
            bool expired;
            lock (state)
            {
                expired = state.ExpiresAtMs <= nowMs;
            }

            if (expired)
            {
                _limits.TryRemove(new KeyValuePair<LocalLimitKey, LimitState>(key, state));
            }
        }
    }

    // One key's state, the in-memory twin of the Redis hash / string and penalty key in counters.lua.
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
