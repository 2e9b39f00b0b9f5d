using System.Collections.Concurrent;
using FraudGateway.State;

namespace FraudGateway.Counters;

// Remembers, in process, limit keys the store has just refused and for how long (its Retry-After), as envoy's
// ratelimit does: a flood from a client that is already over its limit is refused here without a store call,
// so it costs no Redis round trip. Attempts refused from this cache are not counted in the store.
// Bounded: when full, new entries are not added until expired ones are swept.
internal sealed class OverLimitCache(TimeProvider time, int maxEntries) : IAgedState, IBroadcastListener
{
    // Shorter refusals are not worth remembering: the next store call would likely allow.
    public const long MinimumCachedMs = 1000;

    private readonly ConcurrentDictionary<LocalLimitKey, long> _refusedUntilMs = new();
    private long _nextSweepMs;

    public int Count => _refusedUntilMs.Count;

    public bool IsEmpty => maxEntries == 0 || _refusedUntilMs.IsEmpty;

    public static LocalLimitKey Key(CounterGroup group, CounterLimit limit) => new(group.Tag, limit.KeySuffix);

    // How long the key stays refused, or 0 when it is not (known to be) refused.
    public long RefusedForMs(LocalLimitKey key)
    {
        if (maxEntries == 0 || _refusedUntilMs.IsEmpty || !_refusedUntilMs.TryGetValue(key, out var until))
        {
            return 0;
        }

        var left = until - time.GetUtcNow().ToUnixTimeMilliseconds();
        if (left > 0)
        {
            return left;
        }

        _refusedUntilMs.TryRemove(new KeyValuePair<LocalLimitKey, long>(key, until));
        return 0;
    }

    // An admin lifted the limit behind this key (on any instance).
    public void OnLimitLifted(string localKey) => Forget(localKey);

    public void OnSubjectErased(string subjectId) => ForgetSubject(subjectId);

    public void Forget(string key) => _refusedUntilMs.TryRemove(LocalLimitKey.Parse(key), out _);

    // A subject was erased (on any instance): every cached refusal of a key that names its HMAC.
    public void ForgetSubject(string subjectId)
    {
        foreach (var key in _refusedUntilMs.Keys)
        {
            if (key.Names(subjectId))
            {
                _refusedUntilMs.TryRemove(key, out _);
            }
        }
    }

    public void Remember(LocalLimitKey key, long retryAfterMs)
    {
        if (maxEntries == 0 || retryAfterMs < MinimumCachedMs)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_refusedUntilMs.Count >= maxEntries)
        {
            Sweep(now);
            if (_refusedUntilMs.Count >= maxEntries)
            {
                return;
            }
        }

        _refusedUntilMs[key] = now + retryAfterMs;
        if (now >= Interlocked.Read(ref _nextSweepMs))
        {
            Interlocked.Exchange(ref _nextSweepMs, now + 30_000);
            Sweep(now);
        }
    }

    public void SweepExpired(DateTimeOffset now) => Sweep(now.ToUnixTimeMilliseconds());

    private void Sweep(long now)
    {
        foreach (var (key, until) in _refusedUntilMs)
        {
            if (until <= now)
            {
                _refusedUntilMs.TryRemove(new KeyValuePair<LocalLimitKey, long>(key, until));
            }
        }
    }
}
