using System.Net;
using FraudGateway.AccessLists;
using FraudGateway.Configuration;
using FraudGateway.Identity;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.AccessLists;

public class AccessListStageTests
{
    private static readonly SubjectHasher Hasher = new("access-list-tests-key-0123456789abcdef");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static GatewaySettingsProvider Settings(string onStoreFailure = "FailOpen") => TestSettings.Provider(
        ("FraudGateway:AccessLists:Deny:0", "198.51.100.0/24"),
        ("FraudGateway:AccessLists:Allow:0", "192.0.2.0/24"),
        ("FraudGateway:Policies:login:Deny:0", "203.0.113.0/24"),
        ("FraudGateway:Policies:login:Allow:0", "198.51.100.7"),
        ("FraudGateway:Policies:login:OnStoreFailure", onStoreFailure));

    private static FraudGatewayFeature Feature(GatewaySettingsProvider settings, string ip)
    {
        var address = IPAddress.Parse(ip);
        return new FraudGatewayFeature(settings.Current.Policies["login"], "auth")
        {
            Identity = new ClientIdentity { Address = address, PeerAddress = address, Prefix = new IPNetwork(address, 32), UserAgent = "" },
        };
    }

    private async Task<StageResult> RunAsync(string ip, IGatewayStore? store = null, GatewaySettingsProvider? settings = null)
    {
        settings ??= Settings();
        var stage = new AccessListStage(settings, store ?? new InMemoryGatewayStore(_time), Hasher);
        return await stage.InvokeAsync(new DefaultHttpContext(), Feature(settings, ip));
    }

    [Fact]
    public async Task Invoke_GlobalDeny_Blocks()
    {
        var result = await RunAsync("198.51.100.99");

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal(GatewayProblems.AccessDenied, result.Problem);
    }

    [Fact]
    public async Task Invoke_PolicyDeny_Blocks()
    {
        Assert.Equal(StageAction.Block, (await RunAsync("203.0.113.5")).Action);
    }

    [Fact]
    public async Task Invoke_StaticDenyAndAllowBothMatch_DenyWins()
    {
        Assert.Equal(StageAction.Block, (await RunAsync("198.51.100.7")).Action);
    }

    [Fact]
    public async Task Invoke_AllowListed_SkipsLaterChecksEvenWhenBanned()
    {
        var store = new InMemoryGatewayStore(_time);
        await store.AddBanAsync(new BanRecord(BanSubject.ForAddress(IPAddress.Parse("192.0.2.9"), Hasher), "t", _time.GetUtcNow(), _time.GetUtcNow().AddHours(1)), default);

        var result = await RunAsync("192.0.2.9", store);

        Assert.Equal(StageAction.AllowFast, result.Action);
        Assert.Equal("allow-list", result.Reason);
    }

    [Fact]
    public async Task Invoke_DynamicBanOnAddress_Blocks()
    {
        var store = new InMemoryGatewayStore(_time);
        await store.AddBanAsync(new BanRecord(BanSubject.ForAddress(IPAddress.Parse("100.64.1.1"), Hasher), "t", _time.GetUtcNow(), _time.GetUtcNow().AddHours(1)), default);

        var result = await RunAsync("100.64.1.1", store);

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal("banned-address", result.Reason);
        Assert.Equal(GatewayProblems.ClientBanned, result.Problem);
    }

    [Fact]
    public async Task Invoke_NoListMatchesAndNoBan_Continues()
    {
        Assert.Equal(StageAction.Continue, (await RunAsync("100.64.1.1")).Action);
    }

    [Fact]
    public async Task Invoke_StoreDownAndFailOpen_ContinuesAndRecordsTheSkip()
    {
        var settings = Settings("FailOpen");
        var feature = Feature(settings, "100.64.1.1");
        var stage = new AccessListStage(settings, new FailingStore(), Hasher);

        var result = await stage.InvokeAsync(new DefaultHttpContext(), feature);

        Assert.Equal(StageAction.Continue, result.Action);
        Assert.Contains(feature.Verdicts, v => v.Finding == "ban-check-skipped-store-unavailable");
    }

    [Fact]
    public async Task Invoke_StoreDownAndFailClosed_Blocks503()
    {
        var result = await RunAsync("100.64.1.1", new FailingStore(), Settings("FailClosed"));

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal(503, result.Problem?.Status);
    }

    [Fact]
    public async Task Invoke_StaticListsDecide_WithoutCallingTheStore()
    {
        var store = new FailingStore();

        await RunAsync("198.51.100.99", store);
        await RunAsync("192.0.2.9", store);

        Assert.Equal(0, store.Calls);
    }
}
