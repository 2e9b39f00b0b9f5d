using FraudGateway.State;
using FraudGateway.Pipeline;
using FraudGateway.Problems;
using FraudGateway.RateLimiting;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.RateLimiting;

public class RateLimitStageTests
{
    private static readonly GatewayPolicy Policy = TestSettings.Provider(
        ("FraudGateway:Policies:p:RateLimits:0:Name", "minute"),
        ("FraudGateway:Policies:p:RateLimits:0:Key", "ip"),
        ("FraudGateway:Policies:p:RateLimits:0:Limit", "5"),
        ("FraudGateway:Policies:p:RateLimits:0:WindowSeconds", "60"),
        ("FraudGateway:Policies:p:RateLimits:1:Name", "hour"),
        ("FraudGateway:Policies:p:RateLimits:1:Key", "ip"),
        ("FraudGateway:Policies:p:RateLimits:1:Limit", "30"),
        ("FraudGateway:Policies:p:RateLimits:1:WindowSeconds", "3600")).Current.Policies["p"];

    private static async Task<(StageResult Result, HttpContext Context)> Run(params RateLimitDecision[] decisions)
    {
        var context = new DefaultHttpContext();
        var feature = TestFeature.For(Policy, "10.0.0.1");
        feature.Counters = new CounterResult(null, decisions);
        return (await new RateLimitStage().InvokeAsync(context, feature), context);
    }

    [Fact]
    public async Task Invoke_AllAllowed_Continues()
    {
        var (result, _) = await Run(new RateLimitDecision(true, 4, 60_000, 0), new RateLimitDecision(true, 29, 3_600_000, 0));

        Assert.Equal(StageAction.Continue, result.Action);
    }

    [Fact]
    public async Task Invoke_OneRefused_Blocks429WithTheLongestRetryAfterAndAllFields()
    {
        var (result, context) = await Run(new RateLimitDecision(false, 0, 60_000, 12_300), new RateLimitDecision(false, 0, 3_600_000, 1_800_000));

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal(GatewayProblems.QuotaExceeded, result.Problem);
        Assert.Equal("rate-limited:hour", result.Reason);
        Assert.Equal("1800", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("\"minute\";q=5;w=60, \"hour\";q=30;w=3600", context.Response.Headers["RateLimit-Policy"].ToString());
        Assert.Equal("\"minute\";r=0;t=13, \"hour\";r=0;t=1800", context.Response.Headers["RateLimit"].ToString());
    }

    [Fact]
    public async Task Invoke_StoreSkipped_Continues()
    {
        var context = new DefaultHttpContext();
        var result = await new RateLimitStage().InvokeAsync(context, TestFeature.For(Policy, "10.0.0.1"));

        Assert.Equal(StageAction.Continue, result.Action);
        Assert.False(context.Response.Headers.ContainsKey("RateLimit"));
    }

    [Fact]
    public async Task Invoke_RefusedFromTheCache_OtherLimitsAreLeftOutOfTheRateLimitField()
    {
        var (result, context) = await Run(new RateLimitDecision(false, 0, 300_000, 300_000), RateLimitDecision.Unknown);

        Assert.Equal(StageAction.Block, result.Action);
        Assert.Equal("\"minute\";r=0;t=300", context.Response.Headers["RateLimit"].ToString());
    }
}
