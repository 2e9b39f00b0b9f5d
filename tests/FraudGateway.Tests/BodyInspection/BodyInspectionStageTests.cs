using System.Text;
using FraudGateway.BodyInspection;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.BodyInspection;

public class BodyInspectionStageTests : IDisposable
{
    private static readonly SubjectHasher Hasher = new("body-tests-key-0123456789abcdef0123456789");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _domainsFile = Path.GetTempFileName();
    private readonly DisposableEmailDomains _domains;

    public BodyInspectionStageTests()
    {
        File.WriteAllText(_domainsFile, "# test list\nmailinator.com\n*.trash.test\n");
        _domains = new DisposableEmailDomains(new EmailDomainsOptions { DisposableListFile = _domainsFile }, NullLogger<DisposableEmailDomains>.Instance);
    }

    public void Dispose()
    {
        _domains.Dispose();
        File.Delete(_domainsFile);
    }

    private BodyInspectionStage Stage() => new(Hasher, new FormTokens(Hasher, _time), _domains, TestBreachedPasswords.Create(), TestBreachedPasswords.Metrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<BodyInspectionStage>.Instance);

    private static GatewayPolicy Policy(string onInvalid = "Reject", string onHoneypot = "Block", string onFormToken = "Block", string onDisposable = "Record", bool formToken = false) => TestSettings.Provider(
        ("FraudGateway:Captcha:Providers:pow:Type", "ProofOfWork"),
        ("FraudGateway:Policies:p:Captcha:Mode", "WhenRisky"),
        ("FraudGateway:Policies:p:Captcha:Provider", "pow"),
        ("FraudGateway:Policies:p:BodyInspection:FormTokenField", formToken ? "form_token" : null),
        ("FraudGateway:Policies:p:BodyInspection:MinFillSeconds", "3"),
        ("FraudGateway:Policies:p:BodyInspection:OnFormToken", onFormToken),
        ("FraudGateway:Policies:p:BodyInspection:OnDisposableEmail", onDisposable),
        ("FraudGateway:Policies:p:BodyInspection:AccountField", "username"),
        ("FraudGateway:Policies:p:BodyInspection:EmailField", "email"),
        ("FraudGateway:Policies:p:BodyInspection:MessageField", "message"),
        ("FraudGateway:Policies:p:BodyInspection:HoneypotField", "website"),
        ("FraudGateway:Policies:p:BodyInspection:MaxBodyBytes", "1024"),
        ("FraudGateway:Policies:p:BodyInspection:OnInvalidBody", onInvalid),
        ("FraudGateway:Policies:p:BodyInspection:OnHoneypot", onHoneypot)).Current.Policies["p"];

    private async Task<(StageResult Result, FraudGatewayFeature Feature)> Run(string body, string contentType = "application/json", GatewayPolicy? policy = null)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        var feature = TestFeature.For(policy ?? Policy(), "10.0.0.1");
        return (await Stage().InvokeAsync(context, feature), feature);
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
        var result = await Stage().InvokeAsync(context, TestFeature.For(Policy(), "10.0.0.1"));

        Assert.Equal(StageAction.Continue, result.Action);
    }

    [Fact]
    public async Task Invoke_FormToken_OkOnlyWhenSignedForThisPolicyAndOldEnough()
    {
        var tokens = new FormTokens(Hasher, _time);
        var policy = Policy(formToken: true);
        var issued = tokens.Issue("p");
        var otherPolicy = tokens.Issue("q");

        var (tooFast, _) = await Run($$"""{"message":"hi","form_token":"{{issued}}"}""", policy: policy);
        _time.Advance(TimeSpan.FromSeconds(5));
        var (ok, okFeature) = await Run($$"""{"message":"hi","form_token":"{{issued}}"}""", policy: policy);
        var (missing, _) = await Run("""{"message":"hi"}""", policy: policy);
        var (forged, _) = await Run($$"""{"message":"hi","form_token":"{{issued[..^2]}}xx"}""", policy: policy);
        var (wrongPolicy, _) = await Run($$"""{"message":"hi","form_token":"{{otherPolicy}}"}""", policy: policy);
        _time.Advance(TimeSpan.FromHours(2));
        var (expired, _) = await Run($$"""{"message":"hi","form_token":"{{issued}}"}""", policy: policy);

        Assert.Equal("form-token-too-fast", tooFast.Reason);
        Assert.Equal(StageAction.Continue, ok.Action);
        Assert.Equal("ok", okFeature.Body!.FormToken);
        Assert.Equal("form-token-missing", missing.Reason);
        Assert.Equal("form-token-forged", forged.Reason);
        Assert.Equal("form-token-forged", wrongPolicy.Reason);
        Assert.Equal("form-token-expired", expired.Reason);
    }

    [Fact]
    public async Task Invoke_DisposableEmail_RecordBlockOrChallenge()
    {
        const string body = """{"email":"x@sub.TRASH.test","message":"hi"}""";
        var (recorded, recordedFeature) = await Run(body);
        var (blocked, _) = await Run(body, policy: Policy(onDisposable: "Block"));
        var (challenged, challengedFeature) = await Run(body, policy: Policy(onDisposable: "Challenge"));
        var (clean, cleanFeature) = await Run("""{"email":"x@example.org","message":"hi"}""", policy: Policy(onDisposable: "Block"));

        Assert.Equal(StageAction.Continue, recorded.Action);
        Assert.True(recordedFeature.Body!.DisposableEmail);
        Assert.Equal("disposable-email", blocked.Reason);
        Assert.Equal(StageAction.Continue, challenged.Action);
        Assert.Equal(["disposable-email"], challengedFeature.CaptchaReasons);
        Assert.Equal(StageAction.Continue, clean.Action);
        Assert.False(cleanFeature.Body!.DisposableEmail);
    }

    [Fact]
    public async Task Invoke_SameMessageTypedDifferently_HasOneMessageId()
    {
        var (_, a) = await Run("""{"message":"Buy   CHEAP pills\nnow"}""");
        var (_, b) = await Run("""{"message":" buy cheap pills now "}""");
        var (_, c) = await Run("""{"message":"something else"}""");

        Assert.Equal(a.Body!.MessageId, b.Body!.MessageId);
        Assert.NotEqual(a.Body.MessageId, c.Body!.MessageId);
    }

    [Fact]
    public void DisposableEmailDomains_ShippedList_Loads()
    {
        using var shipped = new DisposableEmailDomains(new EmailDomainsOptions(), NullLogger<DisposableEmailDomains>.Instance);

        Assert.True(shipped.Count > 100_000);
        Assert.True(shipped.IsDisposable("mailinator.com"));
        Assert.False(shipped.IsDisposable("example.org"));
    }
}
