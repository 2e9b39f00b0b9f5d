using System.Net;
using FraudGateway.Counters;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Counters;

public class CountersStageTests
{
    private static readonly SubjectHasher Hasher = new("counters-tests-key-0123456789abcdef012");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static GatewayPolicy Policy(string onStoreFailure) => TestSettings.Provider(
        ("FraudGateway:Policies:p:OnStoreFailure", onStoreFailure),
        ("FraudGateway:Policies:p:RateLimits:0:Name", "ip"),
        ("FraudGateway:Policies:p:RateLimits:0:Key", "ip"),
        ("FraudGateway:Policies:p:RateLimits:0:Limit", "2"),
        ("FraudGateway:Policies:p:RateLimits:0:WindowSeconds", "60")).Current.Policies["p"];

    private CountersStage Stage(IGatewayStore store, int cacheEntries = 1000) =>
        new(store, new CounterRequestBuilder(Hasher), new LocalFallbackLimiter(_time), new OverLimitCache(_time, cacheEntries),
            new ApproximateCounting(null, new StoreOptions(), _time), TestMetrics.Create());

    [Fact]
    public async Task Invoke_AddressBanned_Blocks()
    {
        var store = new InMemoryGatewayStore(_time);
        await store.AddBanAsync(new BanRecord(BanSubject.ForAddress(IPAddress.Parse("100.64.1.1"), Hasher), "t", _time.GetUtcNow(), _time.GetUtcNow().AddHours(1)), default);

        var result = await Stage(store).InvokeAsync(new DefaultHttpContext(), TestFeature.For(Policy("FailOpen"), "100.64.1.1", hasher: Hasher));

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal("banned-address", result.Reason);
    }

    [Fact]
    public async Task Invoke_PrefixBanned_BlocksNeighbours()
    {
        var store = new InMemoryGatewayStore(_time);
        await store.AddBanAsync(new BanRecord(BanSubject.ForPrefix(IPNetwork.Parse("100.64.1.0/24"), Hasher), "t", _time.GetUtcNow(), _time.GetUtcNow().AddHours(1)), default);

        var result = await Stage(store).InvokeAsync(new DefaultHttpContext(), TestFeature.For(Policy("FailOpen"), "100.64.1.77", hasher: Hasher));

        Assert.Equal("banned-prefix", result.Reason);
    }

    [Fact]
    public async Task Invoke_StoreDownFailOpen_ContinuesWithoutDecisions()
    {
        var feature = TestFeature.For(Policy("FailOpen"), "100.64.1.1", hasher: Hasher);

        var result = await Stage(new FailingStore()).InvokeAsync(new DefaultHttpContext(), feature);

        Assert.Equal(StageAction.Continue, result.Action);
        Assert.Null(feature.Counters);
        Assert.Contains(feature.Verdicts, v => v.Finding == "store-unavailable-checks-skipped");
    }

    [Fact]
    public async Task Invoke_StoreDownFailClosed_Blocks503()
    {
        var result = await Stage(new FailingStore()).InvokeAsync(new DefaultHttpContext(), TestFeature.For(Policy("FailClosed"), "100.64.1.1", hasher: Hasher));

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal(503, result.Problem?.Status);
    }

    [Fact]
    public async Task Invoke_StoreDownFallBackToLocal_EnforcesTheSameLimitsInProcess()
    {
        var stage = Stage(new FailingStore());
        var policy = Policy("FallBackToLocal");
        var allowed = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            var feature = TestFeature.For(policy, "100.64.1.1", hasher: Hasher);
            await stage.InvokeAsync(new DefaultHttpContext(), feature);
            Assert.Contains(feature.Verdicts, v => v.Finding == "store-unavailable-local-limits");
            allowed.Add(feature.Counters!.Decisions[0].Allowed);
        }

        Assert.Equal([true, true, false], allowed);
    }

    [Fact]
    public async Task Invoke_KeyRecentlyRefused_IsRefusedAgainWithoutAStoreCall()
    {
        var store = new CountingStore(new InMemoryGatewayStore(_time));
        var stage = Stage(store);
        var policy = Policy("FailOpen");
        for (var i = 0; i < 3; i++)
        {
            await stage.InvokeAsync(new DefaultHttpContext(), TestFeature.For(policy, "100.64.1.1", hasher: Hasher));
        }

        Assert.Equal(3, store.Calls);
        var flood = TestFeature.For(policy, "100.64.1.1", hasher: Hasher);
        await stage.InvokeAsync(new DefaultHttpContext(), flood);

        Assert.Equal(3, store.Calls);
        Assert.False(flood.Counters!.Decisions[0].Allowed);
        Assert.Contains(flood.Verdicts, v => v.Finding == "over-limit-cache");

        // Another client still goes to the store; and once the Retry-After has passed, so does this one.
        await stage.InvokeAsync(new DefaultHttpContext(), TestFeature.For(policy, "100.64.1.2", hasher: Hasher));
        Assert.Equal(4, store.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(flood.Counters.Decisions[0].RetryAfterMs));
        await stage.InvokeAsync(new DefaultHttpContext(), TestFeature.For(policy, "100.64.1.1", hasher: Hasher));
        Assert.Equal(5, store.Calls);
    }

    [Fact]
    public async Task Invoke_CacheDisabled_AlwaysAsksTheStore()
    {
        var store = new CountingStore(new InMemoryGatewayStore(_time));
        var stage = Stage(store, cacheEntries: 0);
        for (var i = 0; i < 5; i++)
        {
            await stage.InvokeAsync(new DefaultHttpContext(), TestFeature.For(Policy("FailOpen"), "100.64.1.1", hasher: Hasher));
        }

        Assert.Equal(5, store.Calls);
    }
}
