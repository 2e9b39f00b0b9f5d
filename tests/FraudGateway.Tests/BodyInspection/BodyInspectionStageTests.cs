using System.Text;
using FraudGateway.BodyInspection;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.BodyInspection;

public class BodyInspectionStageTests
{
    private static readonly SubjectHasher Hasher = new("body-tests-key-0123456789abcdef0123456789");

    private static GatewayPolicy Policy(string onInvalid = "Reject", string onHoneypot = "Block") => TestSettings.Provider(
        ("FraudGateway:Policies:p:BodyInspection:AccountField", "username"),
        ("FraudGateway:Policies:p:BodyInspection:EmailField", "email"),
        ("FraudGateway:Policies:p:BodyInspection:MessageField", "message"),
        ("FraudGateway:Policies:p:BodyInspection:HoneypotField", "website"),
        ("FraudGateway:Policies:p:BodyInspection:MaxBodyBytes", "1024"),
        ("FraudGateway:Policies:p:BodyInspection:OnInvalidBody", onInvalid),
        ("FraudGateway:Policies:p:BodyInspection:OnHoneypot", onHoneypot)).Current.Policies["p"];

    private static async Task<(StageResult Result, FraudGatewayFeature Feature)> Run(string body, string contentType = "application/json", GatewayPolicy? policy = null)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        var feature = TestFeature.For(policy ?? Policy(), "10.0.0.1");
        return (await new BodyInspectionStage(Hasher).InvokeAsync(context, feature), feature);
    }

    [Fact]
    public async Task Invoke_Json_PullsTheConfiguredFieldsAndNeverThePassword()
    {
        var (result, feature) = await Run("""{"username":" Alice ","password":"hunter2","email":"A@Example.ORG","message":"see https://x.test and www.y.test"}""");

        Assert.Equal(StageAction.Continue, result.Action);
        Assert.Equal(Hasher.Hash("account", "alice"), feature.Body!.AccountId);
        Assert.Equal("example.org", feature.Body.EmailDomain);
        Assert.Equal(2, feature.Body.MessageLinks);
        Assert.False(feature.Body.HoneypotFilled);
        Assert.DoesNotContain("hunter2", string.Join("|", typeof(InspectedBody).GetProperties().Select(p => p.GetValue(feature.Body)?.ToString())));
    }

    [Fact]
    public async Task Invoke_Form_PullsTheConfiguredFields()
    {
        var (_, feature) = await Run("username=ALICE&password=x&message=hi", "application/x-www-form-urlencoded");

        Assert.Equal(Hasher.Hash("account", "alice"), feature.Body!.AccountId);
        Assert.Equal(2, feature.Body.MessageLength);
    }

    [Theory]
    [InlineData("{\"username\":", "application/json", 400)]
    [InlineData("{} trailing", "application/json", 400)]
    [InlineData("<a/>", "text/xml", 415)]
    public async Task Invoke_UnusableBody_RejectModeBlocks_PassThroughRecords(string body, string contentType, int status)
    {
        var (rejected, _) = await Run(body, contentType);
        var (passed, feature) = await Run(body, contentType, Policy("PassThrough"));

        Assert.Equal(status, rejected.Problem?.Status);
        Assert.Equal(StageAction.Continue, passed.Action);
        Assert.Single(feature.Verdicts);
    }

    [Fact]
    public async Task Invoke_OverTheLimit_Is413()
    {
        var (result, _) = await Run("{\"message\":\"" + new string('x', 2000) + "\"}");

        Assert.Equal(413, result.Problem?.Status);
    }

    [Fact]
    public async Task Invoke_Honeypot_BlockOrRecord()
    {
        var (blocked, _) = await Run("""{"username":"bot","website":"http://spam.test"}""");
        var (recorded, feature) = await Run("""{"username":"bot","website":"http://spam.test"}""", policy: Policy(onHoneypot: "Record"));

        Assert.Equal("honeypot-filled", blocked.Reason);
        Assert.Equal(StageAction.Continue, recorded.Action);
        Assert.True(feature.Body!.HoneypotFilled);
    }

    [Fact]
    public async Task Invoke_NoBody_Continues()
    {
        var context = new DefaultHttpContext();
        var result = await new BodyInspectionStage(Hasher).InvokeAsync(context, TestFeature.For(Policy(), "10.0.0.1"));

        Assert.Equal(StageAction.Continue, result.Action);
    }
}
