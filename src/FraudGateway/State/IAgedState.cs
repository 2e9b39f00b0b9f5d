namespace FraudGateway.State;

/// <summary>
/// In-process state whose records have a lifetime (the in-memory store, the over-limit cache, arrival histories, the
/// local fallback limiter). MemorySweeper calls SweepExpired on a timer, so an instance that gets no traffic still
/// holds nothing older than its lifetimes.
/// </summary>
internal interface IAgedState
{
    void SweepExpired(DateTimeOffset now);
}
