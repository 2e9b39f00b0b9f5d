using System.Net;
using FraudGateway.AccessLists;
using FraudGateway.Configuration;
using FraudGateway.Identity;
using FraudGateway.Pipeline;
using FraudGateway.Problems;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.AccessLists;

public class AccessListStageTests
{
    private static readonly GatewaySettingsProvider Settings = TestSettings.Provider(
        ("FraudGateway:AccessLists:Deny:0", "198.51.100.0/24"),
        ("FraudGateway:AccessLists:Allow:0", "192.0.2.0/24"),
        ("FraudGateway:Policies:login:Deny:0", "203.0.113.0/24"),
        ("FraudGateway:Policies:login:Allow:0", "198.51.100.7"));

    private static async Task<StageResult> RunAsync(string ip)
    {
        var address = IPAddress.Parse(ip);
        var feature = new FraudGatewayFeature(Settings.Current.Policies["login"], "auth")
        {
            Identity = new ClientIdentity { Address = address, PeerAddress = address, Prefix = new IPNetwork(address, 32), UserAgent = "" },
        };
        return await new AccessListStage(Settings).InvokeAsync(new DefaultHttpContext(), feature);
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
    public async Task Invoke_AllowListed_SkipsLaterChecks()
    {
        var result = await RunAsync("192.0.2.9");

        Assert.Equal(StageAction.AllowFast, result.Action);
        Assert.Equal("allow-list", result.Reason);
    }

    [Fact]
    public async Task Invoke_NoListMatches_Continues()
    {
        Assert.Equal(StageAction.Continue, (await RunAsync("100.64.1.1")).Action);
    }
}
