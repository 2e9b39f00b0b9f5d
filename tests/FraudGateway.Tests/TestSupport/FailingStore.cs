using FraudGateway.State;
using FraudGateway.State.Redis;

namespace FraudGateway.Tests.TestSupport;

// A store whose every call fails the way RedisGatewayStore fails when Redis is down or slow.
public sealed class FailingStore : IGatewayStore
{
    public string Name => "failing";

    public int Calls { get; private set; }

    public ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        throw new StoreUnavailableException("count");
    }

    public ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken)
    {
        Calls++;
        throw new StoreUnavailableException("find-ban");
    }

    public Task AddBanAsync(BanRecord record, CancellationToken cancellationToken) => throw new StoreUnavailableException("add-ban");

    public Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken) => throw new StoreUnavailableException("remove-ban");

    public Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken) => throw new StoreUnavailableException("list-bans");

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public Task WarmAsync(CancellationToken cancellationToken) => throw new StoreUnavailableException("warm-up");

    public ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken) => throw new StoreUnavailableException("claim");

    public Task AnnounceLiftAsync(IReadOnlyList<string> localKeys, CancellationToken cancellationToken) => throw new StoreUnavailableException("announce-lift");

    public event Action<string>? LimitLifted
    {
        add { }
        remove { }
    }

    public Task<long> EraseSubjectAsync(string subjectId, CancellationToken cancellationToken) => throw new StoreUnavailableException("erase-subject");

    public Task AnnounceErasureAsync(string subjectId, CancellationToken cancellationToken) => throw new StoreUnavailableException("announce-erasure");

    public event Action<string>? SubjectErased
    {
        add { }
        remove { }
    }

    public Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken) => throw new StoreUnavailableException("release-claim");
}
