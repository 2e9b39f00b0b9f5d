using FraudGateway.State;

namespace FraudGateway.Tests.TestSupport;

// Passes every call to an inner store and counts the CountAsync calls.
public sealed class CountingStore(IGatewayStore inner) : IGatewayStore
{
    public int Calls { get; private set; }

    public string Name => inner.Name;

    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        return inner.CountAsync(request, cancellationToken);
    }

    public ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken) => inner.FindBanAsync(address, prefix, cancellationToken);

    public Task AddBanAsync(BanRecord record, CancellationToken cancellationToken) => inner.AddBanAsync(record, cancellationToken);

    public Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken) => inner.RemoveBanAsync(subject, cancellationToken);

    public Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken) => inner.ListBansAsync(cancellationToken);

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => inner.IsReadyAsync(cancellationToken);

    public Task WarmAsync(CancellationToken cancellationToken) => inner.WarmAsync(cancellationToken);

    public ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken) => inner.TryClaimOnceAsync(id, claimant, ttl, cancellationToken);

    public Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken) => inner.AnnounceLiftAsync(localKeys, cancellationToken);

    public event Action<string>? LimitLifted
    {
        add => inner.LimitLifted += value;
        remove => inner.LimitLifted -= value;
    }

    public Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken) => inner.EraseSubjectAsync(subjectId, cancellationToken);

    public Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken) => inner.AnnounceErasureAsync(subjectId, cancellationToken);

    public event Action<string>? SubjectErased
    {
        add => inner.SubjectErased += value;
        remove => inner.SubjectErased -= value;
    }

    public Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken) => inner.ReleaseClaimAsync(id, claimant, cancellationToken);
}
