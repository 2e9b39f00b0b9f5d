namespace FraudGateway.Decisions;

/// <summary>
/// Where recent decisions are kept: a capped Redis stream per policy shared by every instance, or memory.
/// </summary>
internal interface IDecisionStore
{
    // Never waits on the store and never throws: a record that cannot be written is counted and dropped.
    void Append(DecisionEntry entry);

    // The live entries of one policy (or every policy) newer than sinceMs, newest first, at most max.
    Task<IReadOnlyList<DecisionEntry>> ReadAsync(string? policy, long sinceMs, int max, CancellationToken cancellationToken);

    /// <summary>
    /// A label lives as long as decisions do (TtlSeconds from when it is set); a new label replaces the old one.
    /// </summary>
    Task SetLabelAsync(string requestId, DecisionLabel label, CancellationToken cancellationToken);

    /// <summary>
    /// Subject erasure: removes every entry whose client or account is this HMAC, and those entries' labels.
    /// </summary>
    Task<(int Entries, int Labels)> EraseAsync(string subjectId, CancellationToken cancellationToken);

    /// <summary>
    /// Undoes a label (DELETE /admin/decisions/{requestId}/label); true when there was one.
    /// </summary>
    Task<bool> RemoveLabelAsync(string requestId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, DecisionLabel>> GetLabelsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken);
}
