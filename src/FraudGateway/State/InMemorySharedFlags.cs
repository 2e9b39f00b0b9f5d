using System.Collections.Concurrent;

namespace FraudGateway.State;

// ISharedFlags for one instance: a dictionary whose entries lapse at their expiry (read as absent, swept by age). A
// flag whose name holds an erased subject's HMAC goes with the subject (IGatewayStore.SubjectErased).
internal sealed class InMemorySharedFlags(TimeProvider time) : ISharedFlags, IAgedState, IBroadcastListener
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset ExpiresAt)> _flags = new(StringComparer.Ordinal);

    public ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_flags.TryGetValue(name, out var flag) && flag.ExpiresAt > time.GetUtcNow() ? flag.Value : null);

    public Task SetAsync(string name, string value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        _flags[name] = (value, time.GetUtcNow() + ttl);
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_flags.TryRemove(name, out _));

    public void SweepExpired(DateTimeOffset now)
    {
        foreach (var (name, flag) in _flags)
        {
            if (flag.ExpiresAt <= now)
            {
                _flags.TryRemove(name, out _);
            }
        }
    }

    public void OnSubjectErased(string subjectId) => Erase(subjectId);

    public void Erase(string subjectId)
    {
        foreach (var name in _flags.Keys)
        {
            if (name.Contains(subjectId, StringComparison.Ordinal))
            {
                _flags.TryRemove(name, out _);
            }
        }
    }
}
