namespace FraudGateway.State;

/// <summary>
/// What one instance tells every instance sharing the store, and the erasure of a subject's records.
/// </summary>
public interface IStoreBroadcasts
{
    /// <summary>
    /// An admin lifted these limits (in-process keys, StoreKeys.LocalLimit): every instance sharing the store raises
    /// LimitLifted for each, this one included before the call returns, so what an instance remembers in process
    /// (the over-limit cache) is dropped at once everywhere.
    /// </summary>
    Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken);

    /// <summary>
    /// Raised on every instance for each lifted limit's in-process key.
    /// </summary>
    event Action<string>? LimitLifted;

    /// <summary>
    /// Subject erasure: removes every record whose key names this HMAC (its bans, its limits, limits on combinations
    /// it is part of, and its ban-index entry) and, in memory, its distinct-count memberships. Answers how many
    /// records were removed. On Redis every primary is scanned; a primary that does not answer makes the call throw.
    /// </summary>
    Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken);

    /// <summary>
    /// Every instance sharing the store raises SubjectErased (this one before the call returns), so in-process state
    /// about the subject (over-limit cache, arrival history, the local fallback limiter) is dropped everywhere.
    /// </summary>
    Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken);

    /// <summary>
    /// Raised on every instance for each erased subject's HMAC.
    /// </summary>
    event Action<string>? SubjectErased;
}
