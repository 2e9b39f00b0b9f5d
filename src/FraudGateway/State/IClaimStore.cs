namespace FraudGateway.State;

/// <summary>
/// Single-use claims (captcha tokens), across instances.
/// </summary>
public interface IClaimStore
{
    /// <summary>
    /// True for the first claimant of id (an HMAC) within ttl, and again for that same claimant (a retry of the same
    /// request); false for anyone else.
    /// </summary>
    ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up claimant's own claim on id (nobody else's): for a captcha whose provider did not answer, so a retry
    /// with the same token is not a replay.
    /// </summary>
    Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken);
}
