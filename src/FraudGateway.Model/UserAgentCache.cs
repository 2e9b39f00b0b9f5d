using System.Collections.Concurrent;

namespace FraudGateway.Model;

// UserAgentAnalyzer's answers, cached per string: real traffic repeats a few thousand user agents. Bounded (emptied
// when full, so an attacker who rotates user agents costs the analysis, never memory). One per FeatureExtractor; the
// gateway's is a single injected instance.
public sealed class UserAgentCache
{
    public const int Capacity = 8192;

    // Longer strings are analysed every time rather than kept.
    private const int MaxCachedChars = 512;

    private readonly ConcurrentDictionary<string, UserAgentInfo> _cache = new(StringComparer.Ordinal);

    // Entries added since the last clear: ConcurrentDictionary.Count takes every bucket lock, too costly on each miss
    // when an attacker rotates user agents.
    private int _cached;

    // Strings held now.
    public int Count => Volatile.Read(ref _cached);

    public UserAgentInfo Analyze(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent) || userAgent.Length > MaxCachedChars)
        {
            return UserAgentAnalyzer.Analyze(userAgent);
        }

        if (_cache.TryGetValue(userAgent, out var cached))
        {
            return cached;
        }

        var info = UserAgentAnalyzer.Analyze(userAgent);
        if (Volatile.Read(ref _cached) >= Capacity)
        {
            Clear();
        }

        if (_cache.TryAdd(userAgent, info))
        {
            Interlocked.Increment(ref _cached);
        }

        return info;
    }

    // Empties the cache (when full; benchmarks of the uncached path).
    public void Clear()
    {
        _cache.Clear();
        Volatile.Write(ref _cached, 0);
    }
}
