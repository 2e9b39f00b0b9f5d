namespace FraudGateway.State;

/// <summary>
/// Bans on addresses and prefixes, each with its own expiry.
/// </summary>
public interface IBanStore
{
    /// <summary>
    /// Admin lookups (and tests): both subjects read together.
    /// </summary>
    ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Adds or replaces the ban on record.Subject; it disappears by itself at record.ExpiresAt.
    /// </summary>
    Task AddBanAsync(BanRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the ban on subject; true when a live one was there.
    /// </summary>
    Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken);

    /// <summary>
    /// Every live ban, soonest expiry first in memory.
    /// </summary>
    Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken);
}
