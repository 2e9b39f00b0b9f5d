using System.Collections.Concurrent;

namespace FraudGateway.State.InMemory;

// Single-use claims in process: the claimant and the claim's expiry per id.
internal sealed class InMemoryClaims(TimeProvider time) : IClaimStore
{
    private readonly ConcurrentDictionary<string, (string Claimant, long ExpiresAtMs)> _claims = new(StringComparer.Ordinal);

    public int Count => _claims.Count;

    public ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var claim = _claims.AddOrUpdate(
            id,
            static (_, arg) => (arg.claimant, arg.expires),
            static (_, existing, arg) => existing.ExpiresAtMs <= arg.now ? (arg.claimant, arg.expires) : existing,
            (claimant, expires: now + (long)ttl.TotalMilliseconds, now));
        return ValueTask.FromResult(claim.Claimant == claimant);
    }

    public Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken)
    {
        if (_claims.TryGetValue(id, out var claim) && claim.Claimant == claimant)
        {
            _claims.TryRemove(new KeyValuePair<string, (string, long)>(id, claim));
        }

        return Task.CompletedTask;
    }

    public void Sweep(long nowMs)
    {
        foreach (var (key, claim) in _claims)
        {
            if (claim.ExpiresAtMs <= nowMs)
            {
                _claims.TryRemove(new KeyValuePair<string, (string, long)>(key, claim));
            }
        }
    }
}
