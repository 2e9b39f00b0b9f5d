using FraudGateway.RateLimiting;

namespace FraudGateway.State.InMemory;

// One window's state, the in-memory twin of the Redis hash / string and penalty key in counters.lua. Guarded by
// its subject's lock.
internal sealed class LimitState
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
