using FraudGateway.State;

namespace FraudGateway.Counters;

// A subject's ban as last read; the subject is kept so the refresh need not parse it back from its token.
internal sealed class ApproximateBanEntry(BanSubject subject, BanRecord? ban, long fetchedMs)
{
    private int _queued;

    public BanSubject Subject { get; } = subject;

    // Marks the entry queued for the next refresh; false when it already was.
    public bool TryQueue() => Interlocked.Exchange(ref _queued, 1) == 0;

    public long FetchedMs { get; } = fetchedMs;

    public long LastUsedMs { get; set; }

    public BanRecord? Live(long nowMs) => ban is not null && ban.ExpiresAt.ToUnixTimeMilliseconds() > nowMs ? ban : null;
}
