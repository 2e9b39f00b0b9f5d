using System.Net;
using FraudGateway.Privacy;
using FraudGateway.State;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.State;

// Every IGatewayStore passes these. The in-memory store runs them in the unit tests, the Redis store in the
// integration tests against a real redis-server. Time is a FakeTimeProvider that starts at the real "now"
// (Redis TTLs are set relative to it) and is moved by hand: no test waits.
public abstract partial class GatewayStoreContractTests
{
    private static readonly SubjectHasher Hasher = new("contract-tests-key-0123456789abcdef");

    protected GatewayStoreContractTests()
    {
        Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
    }

    protected FakeTimeProvider Time { get; }

    protected abstract IGatewayStore Store { get; }

    protected static BanSubject Address(string ip) => BanSubject.ForAddress(IPAddress.Parse(ip), Hasher);

    protected static BanSubject Prefix(string cidr) => BanSubject.ForPrefix(IPNetwork.Parse(cidr), Hasher);

    private BanRecord Ban(BanSubject subject, TimeSpan ttl, string reason = "test") => new(subject, reason, Time.GetUtcNow(), Time.GetUtcNow() + ttl);

    [Fact]
    public async Task FindBan_NothingStored_ReturnsNull()
    {
        Assert.Null(await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default));
    }

    [Fact]
    public async Task FindBan_AddressBanned_FindsItByAddress()
    {
        await Store.AddBanAsync(Ban(Address("192.0.2.1"), TimeSpan.FromMinutes(5), "manual"), default);

        var found = await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default);

        Assert.NotNull(found);
        Assert.Equal(Address("192.0.2.1"), found.Subject);
        Assert.Equal("manual", found.Reason);
        Assert.Null(await Store.FindBanAsync(Address("192.0.2.2"), Prefix("192.0.2.0/24"), default));
    }

    [Fact]
    public async Task FindBan_PrefixBanned_FindsEveryAddressInIt()
    {
        await Store.AddBanAsync(Ban(Prefix("2001:db8:1:2::/64"), TimeSpan.FromMinutes(5)), default);

        var found = await Store.FindBanAsync(Address("2001:db8:1:2::99"), Prefix("2001:db8:1:2::/64"), default);

        Assert.Equal(BanSubjectKind.Prefix, found?.Subject.Kind);
    }

    [Fact]
    public async Task FindBan_AfterTtl_BanIsGone()
    {
        await Store.AddBanAsync(Ban(Address("192.0.2.1"), TimeSpan.FromMinutes(5)), default);

        Time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default));

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default));
        Assert.Empty(await Store.ListBansAsync(default));
    }

    [Fact]
    public async Task AddBan_AlreadyExpired_IsNotStored()
    {
        await Store.AddBanAsync(new BanRecord(Address("192.0.2.1"), "old", Time.GetUtcNow().AddMinutes(-10), Time.GetUtcNow().AddMinutes(-1)), default);

        Assert.Null(await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default));
    }

    [Fact]
    public async Task AddBan_SameSubjectTwice_LastOneWins()
    {
        await Store.AddBanAsync(Ban(Address("192.0.2.1"), TimeSpan.FromMinutes(5), "first"), default);
        await Store.AddBanAsync(Ban(Address("192.0.2.1"), TimeSpan.FromHours(1), "second"), default);

        var bans = await Store.ListBansAsync(default);

        var only = Assert.Single(bans);
        Assert.Equal("second", only.Reason);
    }

    [Fact]
    public async Task RemoveBan_Live_RemovesItAndSaysSo()
    {
        await Store.AddBanAsync(Ban(Address("192.0.2.1"), TimeSpan.FromMinutes(5)), default);

        Assert.True(await Store.RemoveBanAsync(Address("192.0.2.1"), default));
        Assert.False(await Store.RemoveBanAsync(Address("192.0.2.1"), default));
        Assert.Null(await Store.FindBanAsync(Address("192.0.2.1"), Prefix("192.0.2.0/24"), default));
        Assert.Empty(await Store.ListBansAsync(default));
    }

    [Fact]
    public async Task ListBans_ReturnsLiveBansSoonestExpiryFirst()
    {
        await Store.AddBanAsync(Ban(Address("192.0.2.1"), TimeSpan.FromHours(2), "later"), default);
        await Store.AddBanAsync(Ban(Prefix("198.51.100.0/24"), TimeSpan.FromMinutes(10), "sooner"), default);
        await Store.AddBanAsync(Ban(Address("192.0.2.3"), TimeSpan.FromMinutes(1), "expires"), default);
        Time.Advance(TimeSpan.FromMinutes(2));

        var bans = await Store.ListBansAsync(default);

        Assert.Equal(["sooner", "later"], bans.Select(b => b.Reason));
    }

    [Fact]
    public async Task IsReady_WorkingStore_IsTrueOnceWarm()
    {
        await Store.WarmAsync(default);
        Assert.True(await Store.IsReadyAsync(default));
    }

    [Fact]
    public async Task TryClaimOnce_FirstClaimantWinsAndMayRetry_OthersAreRefused()
    {
        Assert.True(await Store.TryClaimOnceAsync("token-1", "request-a", TimeSpan.FromMinutes(5), default));
        Assert.True(await Store.TryClaimOnceAsync("token-1", "request-a", TimeSpan.FromMinutes(5), default));
        Assert.False(await Store.TryClaimOnceAsync("token-1", "request-b", TimeSpan.FromMinutes(5), default));
        Assert.True(await Store.TryClaimOnceAsync("token-2", "request-b", TimeSpan.FromMinutes(5), default));
    }

    [Fact]
    public async Task ReleaseClaim_OnlyTheClaimantsOwn_ThenAnotherMayClaim()
    {
        Assert.True(await Store.TryClaimOnceAsync("token-3", "request-a", TimeSpan.FromMinutes(5), default));
        await Store.ReleaseClaimAsync("token-3", "request-b", default);
        Assert.False(await Store.TryClaimOnceAsync("token-3", "request-b", TimeSpan.FromMinutes(5), default));

        await Store.ReleaseClaimAsync("token-3", "request-a", default);
        Assert.True(await Store.TryClaimOnceAsync("token-3", "request-b", TimeSpan.FromMinutes(5), default));
        Assert.False(await Store.TryClaimOnceAsync("token-3", "request-a", TimeSpan.FromMinutes(5), default));
        await Store.ReleaseClaimAsync("never-claimed", "request-a", default);
    }
}
