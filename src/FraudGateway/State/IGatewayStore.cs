
namespace FraudGateway.State;

/// <summary>
/// The gateway's shared state. Two implementations pass the same contract tests (GatewayStoreContractTests):
/// InMemoryGatewayStore for a single instance, RedisGatewayStore for production and scale-out.
/// Every method either completes within the store's timeout or throws StoreUnavailableException.
/// </summary>
public interface IGatewayStore
{
    string Name { get; }

    /// <summary>
    /// On the request path: the ban flags and every rate-limit window the request touches, one script per
    /// hash-tag group, all groups in one round trip.
    /// </summary>
    ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Admin lookups (and tests): both subjects read together.
    /// </summary>
    ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Adds or replaces the ban on record.Subject; it disappears by itself at record.ExpiresAt.
    /// </summary>
    Task AddBanAsync(BanRecord record, CancellationToken cancellationToken);

    Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken);

    Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken);

    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the request path warm (connections, scripts, a first call on every shard); IsReadyAsync is false until it
    /// has succeeded once. Throws StoreUnavailableException when the store does not answer (the caller retries).
    /// </summary>
    Task WarmAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Single use: true for the first claimant of id (an HMAC) within ttl, and again for that same claimant
    /// (a retry of the same request); false for anyone else. Used for captcha tokens, across instances.
    /// </summary>
    ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up claimant's own claim on id (nobody else's): for a captcha whose provider did not answer, so a retry
    /// with the same token is not a replay.
    /// </summary>
    Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken);

    /// <summary>
    /// An admin lifted these limits (in-process keys, StoreKeys.LocalLimit): every instance sharing the store raises
    /// LimitLifted for each, this one included before the call returns, so what an instance remembers in process
    /// (the over-limit cache) is dropped at once everywhere.
    /// </summary>
    Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken);

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

    event Action<string>? SubjectErased;
}
