using System.Net;
using FraudGateway.Captcha;

namespace FraudGateway.Tests.Captcha;

public class CaptchaChecksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private sealed class Provider(CaptchaProviderType type, params string[] hostnames) : ICaptchaProvider
    {
        public string Name => "p";
        public CaptchaProviderType Type => type;
        public string SiteKey => "k";
        public IReadOnlyList<string> Hostnames => hostnames;
        public ValueTask<SiteVerifyResult> VerifyAsync(string token, IPAddress clientAddress, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static PolicyCaptcha Policy(string? action = null) => new() { Mode = CaptchaMode.Always, Provider = "p", Action = action, MinScore = 0.5 };

    private static CaptchaCheck Check(SiteVerifyResult result, CaptchaProviderType type = CaptchaProviderType.Turnstile, string? action = null, params string[] hostnames) =>
        CaptchaChecks.Evaluate(result, new Provider(type, hostnames), Policy(action), Now, TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData("timeout-or-duplicate", "token-expired-or-duplicate")]
    [InlineData("invalid-or-already-seen-response", "token-expired-or-duplicate")]
    [InlineData("invalid-input-response", "token-invalid")]
    [InlineData("missing-input-response", "token-missing")]
    [InlineData("something-new", "token-rejected")]
    public void Evaluate_UserSideErrorCodes_MapToStableReasons(string code, string reason)
    {
        Assert.Equal(new CaptchaCheck(false, reason), Check(new SiteVerifyResult(false, [code])));
    }

    [Theory]
    [InlineData("invalid-input-secret", "provider-rejected-secret")]
    [InlineData("missing-input-secret", "provider-rejected-secret")]
    [InlineData("sitekey-secret-mismatch", "provider-rejected-secret")]
    [InlineData("internal-error", "provider-internal-error")]
    [InlineData("bad-request", "provider-bad-request")]
    public void Evaluate_ProviderSideErrorCodes_AreProviderFailures(string code, string reason)
    {
        var failure = Assert.Throws<CaptchaProviderException>(() => Check(new SiteVerifyResult(false, ["invalid-input-response", code])));
        Assert.Equal(reason, failure.Reason);
    }

    [Fact]
    public void Evaluate_AllChecksPass_Passes()
    {
        var result = new SiteVerifyResult(true, [], "example.com", Now.AddSeconds(-30), "login", 0.9);

        Assert.True(Check(result, CaptchaProviderType.RecaptchaV3, "login", "example.com").Passed);
    }

    [Fact]
    public void Evaluate_V3WithoutScoreOrAction_Fails()
    {
        Assert.Equal("score-too-low", Check(new SiteVerifyResult(true, [], "h", Now, "login", null), CaptchaProviderType.RecaptchaV3, "login").Reason);
        Assert.Equal("action-mismatch", Check(new SiteVerifyResult(true, [], "h", Now, null, 0.9), CaptchaProviderType.RecaptchaV3, "login").Reason);
    }

    [Fact]
    public void Evaluate_HostnameOutsideTheList_Fails()
    {
        Assert.Equal("hostname-mismatch", Check(new SiteVerifyResult(true, [], "evil.test", Now), hostnames: "example.com").Reason);
        Assert.Equal("hostname-mismatch", Check(new SiteVerifyResult(true, [], null, Now), hostnames: "example.com").Reason);
    }

    [Fact]
    public void Parse_ProviderJson_ReadsEveryField()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""{"success":true,"challenge_ts":"2026-11-28T11:59:00Z","hostname":"example.com","action":"login","score":0.7,"error-codes":[]}""");

        var result = SiteVerifyProvider.Parse(json.RootElement);

        Assert.Equal(new SiteVerifyResult(true, [], "example.com", Now.AddMinutes(-1), "login", 0.7), result with { ErrorCodes = [] });
        Assert.Empty(result.ErrorCodes);
    }
}
