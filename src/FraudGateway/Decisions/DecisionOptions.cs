namespace FraudGateway.Decisions;

/// <summary>
/// FraudGateway:Decisions: the queryable record of recent decisions (GET /admin/decisions).
/// </summary>
internal sealed class DecisionOptions
{
    /// <summary>
    /// Refusals (default): every request that was not allowed, and allowed ones a shadow check or model would have
    /// refused; All: every decision on a protected route (one more Redis write per request); Off.
    /// </summary>
    public DecisionRecording Record { get; set; } = DecisionRecording.Refusals;

    /// <summary>
    /// Kept per policy: the newest this many (Redis: the stream's MAXLEN, approximate by up to a hundred entries).
    /// </summary>
    public int MaxEntriesPerPolicy { get; set; } = 10_000;

    /// <summary>
    /// No entry is kept or answered longer than this after its decision.
    /// </summary>
    public int TtlSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>
    /// Each instance records at most this many decisions per policy per second; the rest of a flood is counted
    /// (fraudgateway.decisions.unrecorded) but not written, so a stuffing run refused from the over-limit cache does not
    /// become one Redis write per refusal. The store then holds a sample of the flood: its first records each second.
    /// </summary>
    public int MaxRecordsPerSecond { get; set; } = 100;
}

internal enum DecisionRecording
{
    Refusals,
    All,
    Off,
}
