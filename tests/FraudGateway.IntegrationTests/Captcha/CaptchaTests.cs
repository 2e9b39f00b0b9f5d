using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CaptchaSimulator;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using static FraudGateway.IntegrationTests.Captcha.CaptchaSetup;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Captcha;

// The real gateway against the real captcha simulator, for every provider and every failure.
public sealed class CaptchaTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private CaptchaSimulatorServer Simulator => upstreams.Simulator;

    // The login policy requires a captcha from one provider; the contact-form policy asks only when risky.
    private Task<GatewayServer> StartAsync(string type = "Turnstile", string secret = SimulatorSecrets.AlwaysPasses, string onFailure = "FailClosed",
        string? action = null, string? verifyUrl = null, int timeoutMs = 10_000, Action<JsonObject>? edit = null, Action<WebApplicationBuilder>? configure = null)
    {
        var config = CaptchaSetup.Config(upstreams, type, secret, onFailure, action, verifyUrl, timeoutMs);
        edit?.Invoke(config);
        return GatewayServer.StartAsync(config, configure);
    }

    [Fact]
    public async Task SimulatedProvider_IsAnnouncedLoudlyAtStartAndTheSecretNeverLogged()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await StartAsync(secret: SimulatorSecrets.ServerError, configure: builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await gateway.Public.SendAsync(LoginWith(NewToken()));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("main") && e.Message.Contains("SIMULATED"));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(SimulatorSecrets.ServerError));
        Assert.Contains(logs.Entries, e => e.Message.Contains("provider-error-status"));
    }

    // Minimisation: the provider gets the client's address only when SendRemoteIp is set for it.
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task RemoteIp_IsSentToTheProvider_OnlyWhenConfigured(bool send, int expected)
    {
        await using var gateway = await StartAsync(edit: config => config["FraudGateway"]!["Captcha"]!["Providers"]!["main"]!["SendRemoteIp"] = send);
        var before = await Simulator.CallsWithRemoteIpAsync();
        var calls = await Simulator.CallsAsync();

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(LoginWith(NewToken()))).StatusCode);

        Assert.Equal(calls + 1, await Simulator.CallsAsync());
        Assert.Equal(before + expected, await Simulator.CallsWithRemoteIpAsync());
    }

    [Fact]
    public async Task NoToken_Gets403CaptchaRequiredNamingProviderAndSiteKey()
    {
        await using var gateway = await StartAsync();
        var calls = await Simulator.CallsAsync();

        var response = await gateway.Public.SendAsync(LoginWith(null));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        Assert.Equal("main", problem.GetProperty("captcha").GetProperty("provider").GetString());
        Assert.Equal("Turnstile", problem.GetProperty("captcha").GetProperty("type").GetString());
        Assert.Equal("site-key-Turnstile", problem.GetProperty("captcha").GetProperty("siteKey").GetString());
        Assert.Equal(calls, await Simulator.CallsAsync());
    }

    [Theory]
    [InlineData("Turnstile")]
    [InlineData("HCaptcha")]
    [InlineData("RecaptchaV2")]
    public async Task ValidToken_EveryProvider_Passes(string type)
    {
        await using var gateway = await StartAsync(type);
        var calls = await Simulator.CallsAsync();

        var response = await gateway.Public.SendAsync(LoginWith(NewToken()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(calls + 1, await Simulator.CallsAsync());
    }

    [Fact]
    public async Task ValidToken_Replayed_IsRefusedWithoutAskingTheProvider()
    {
        await using var gateway = await StartAsync();
        var calls = await Simulator.CallsAsync();
        var token = NewToken();

        var first = await gateway.Public.SendAsync(LoginWith(token));
        var replay = await gateway.Public.SendAsync(LoginWith(token, ip: "100.64.9.9"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await replay.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-replayed");
        Assert.Equal(calls + 1, await Simulator.CallsAsync());
    }

    [Fact]
    public async Task Pass_IssuedAfterVerification_LetsTheSameClientRetryWithoutANewCaptcha()
    {
        await using var gateway = await StartAsync();
        var calls = await Simulator.CallsAsync();
        var verified = await gateway.Public.SendAsync(LoginWith(NewToken()));
        var pass = verified.Headers.GetValues("X-Captcha-Pass").Single();
        Assert.Contains(verified.Headers.GetValues("Set-Cookie"), c => c.StartsWith("fg_captcha_pass=") && c.Contains("httponly"));

        HttpRequestMessage WithPass(string value, string ip = "100.64.1.1", string agent = "test-browser/1.0")
        {
            var request = LoginWith(null, ip, agent);
            request.Headers.Add("X-Captcha-Pass", value);
            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(WithPass(pass))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(WithPass(pass, ip: "100.64.1.200"))).StatusCode);
        await (await gateway.Public.SendAsync(WithPass(pass, ip: "100.64.2.1"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        await (await gateway.Public.SendAsync(WithPass(pass, agent: "other-browser/2.0"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        var forged = pass[..^3] + (pass[^3] == 'A' ? "BBB" : "AAA");
        await (await gateway.Public.SendAsync(WithPass(forged))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        Assert.Equal(calls + 1, await Simulator.CallsAsync());
    }

    [Fact]
    public async Task TokenInFormBody_IsFoundAndTheBodyReachesTheUpstreamUnchanged()
    {
        await using var gateway = await StartAsync(edit: config =>
            config["FraudGateway"]!["Policies"]!["contact-form"]!["Captcha"] = new JsonObject { ["Mode"] = "Always", ["Provider"] = "main" });
        var calls = await Simulator.CallsAsync();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Ann", ["email"] = "ann@example.org", ["message"] = "Hello", ["cf-turnstile-response"] = NewToken(),
        });

        var response = await gateway.Public.PostAsync("/api/contact", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(calls + 1, await Simulator.CallsAsync());
    }

    [Fact]
    public async Task TokenInJsonBody_IsFound()
    {
        await using var gateway = await StartAsync(edit: config =>
            config["FraudGateway"]!["Policies"]!["contact-form"]!["Captcha"] = new JsonObject { ["Mode"] = "Always", ["Provider"] = "main" });

        var response = await gateway.Public.PostAsJsonAsync("/api/contact", new Dictionary<string, string>
        {
            ["name"] = "Ann", ["email"] = "ann@example.org", ["message"] = "Hello", ["g-recaptcha-response"] = NewToken(),
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(SimulatorSecrets.AlwaysFails, "Turnstile", "The captcha token was not accepted.")]
    [InlineData(SimulatorSecrets.TokenSpent, "Turnstile", "The captcha token has expired or was already used.")]
    [InlineData(SimulatorSecrets.TokenSpent, "HCaptcha", "The captcha token has expired or was already used.")]
    public async Task ProviderRefusesToken_Gets403CaptchaInvalid(string secret, string type, string detail)
    {
        await using var gateway = await StartAsync(type, secret);

        var response = await gateway.Public.SendAsync(LoginWith(NewToken()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-invalid");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("evil.example.net", "-", "-", 0, "Turnstile", null, "The captcha was solved on another site.")]
    [InlineData("example.com", "signup", "-", 0, "Turnstile", "login", "The captcha was solved for another action.")]
    [InlineData("example.com", "login", "0.2", 0, "RecaptchaV3", "login", "The captcha score is too low.")]
    [InlineData("example.com", "-", "-", 900, "Turnstile", null, "The captcha was solved too long ago.")]
    public async Task GatewayChecks_RefuseWhatTheProviderReports(string hostname, string action, string score, int age, string type, string? policyAction, string detail)
    {
        await using var gateway = await StartAsync(type, action: policyAction);

        var response = await gateway.Public.SendAsync(LoginWith(NewToken(hostname, action, score, age)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-invalid");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RecaptchaV3_GoodScoreAndAction_Passes()
    {
        await using var gateway = await StartAsync("RecaptchaV3", action: "login");

        var response = await gateway.Public.SendAsync(LoginWith(NewToken("example.com", "login", "0.9")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(SimulatorSecrets.ServerError)]
    [InlineData(SimulatorSecrets.NeverAnswers)]
    [InlineData(SimulatorSecrets.Slow)]
    [InlineData(SimulatorSecrets.InternalError)]
    [InlineData("not-the-right-secret")]
    public async Task ProviderCannotAnswer_FailClosed_Gets503(string secret)
    {
        await using var gateway = await StartAsync(secret: secret, timeoutMs: 500);

        var response = await gateway.Public.SendAsync(LoginWith(NewToken()));

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "captcha-unavailable");
    }

    // The provider judges the token but answers after ProviderTimeoutMs: the user gets 503, and the retry with the
    // same token gets the provider's late answer (here: a pass), not "expired or already used". Controlled slowness:
    // the simulator answers after 1.5 s, the gateway waits 0.2 s; retries until the answer has arrived (bounded).
    [Theory]
    [InlineData("Turnstile")]
    [InlineData("HCaptcha")]
    [InlineData("RecaptchaV2")]
    [InlineData("RecaptchaV3")]
    public async Task ProviderAnswersLate_TheRetryWithTheSameTokenGetsThatAnswer(string type)
    {
        await using var gateway = await StartAsync(type, secret: SimulatorSecrets.SlowOnce, timeoutMs: 200);
        var token = NewToken(score: "0.9");

        await (await gateway.Public.SendAsync(LoginWith(token))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "captcha-unavailable");
        var status = HttpStatusCode.ServiceUnavailable;
        await EventuallyAsync(async () => (status = (await gateway.Public.SendAsync(LoginWith(token))).StatusCode) != HttpStatusCode.ServiceUnavailable, "the late answer", TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    // A retry that reaches another instance (no late answer kept there) is still recognised by Turnstile: the
    // idempotency key comes from the token, and the provider answers a known key as it did the first time.
    [Fact]
    public async Task TurnstileRetry_OnAnotherInstance_IsRecognisedByItsIdempotencyKey()
    {
        await using var first = await StartAsync(secret: SimulatorSecrets.SlowOnce, timeoutMs: 200);
        await using var second = await StartAsync(secret: SimulatorSecrets.SlowOnce, timeoutMs: 10_000);
        var token = NewToken();

        await (await first.Public.SendAsync(LoginWith(token))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "captcha-unavailable");

        Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(LoginWith(token))).StatusCode);
    }

    // hCaptcha's documented expired-input-response gets the expiry message, like the other providers' expiries.
    [Fact]
    public async Task HCaptchaExpiredToken_GetsTheExpiryMessage()
    {
        await using var gateway = await StartAsync("HCaptcha", secret: SimulatorSecrets.Expired);

        var problem = await (await gateway.Public.SendAsync(LoginWith(NewToken()))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-invalid");

        Assert.Equal("The captcha token has expired or was already used.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(SimulatorSecrets.ServerError)]
    [InlineData(SimulatorSecrets.NeverAnswers)]
    public async Task ProviderCannotAnswer_FailOpen_LetsTheRequestThrough(string secret)
    {
        await using var gateway = await StartAsync(secret: secret, onFailure: "FailOpen", timeoutMs: 500);

        var response = await gateway.Public.SendAsync(LoginWith(NewToken()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ProviderUnreachable_FailClosed_Gets503()
    {
        await using var gateway = await StartAsync(verifyUrl: $"http://127.0.0.1:{FreePort.Next()}/turnstile/v0/siteverify");

        var response = await gateway.Public.SendAsync(LoginWith(NewToken()));

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "captcha-unavailable");
    }

    public static TheoryData<string[]> BadTokens => new()
    {
        new[] { "" },
        new[] { new string('a', 2049) },
        new[] { "token\twith-a-tab" },
        new[] { "token with spaces" },
        new[] { "one", "two" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task MalformedToken_Gets400WithoutAProviderCall(string[] headerValues)
    {
        await using var gateway = await StartAsync();
        var calls = await Simulator.CallsAsync();
        var request = LoginWith(null);
        foreach (var value in headerValues)
        {
            request.Headers.TryAddWithoutValidation("X-Captcha-Token", value);
        }

        var response = await gateway.Public.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-captcha-token");
        Assert.Equal(calls, await Simulator.CallsAsync());
    }

    [Fact]
    public async Task NonAsciiTokenInBody_Gets400WithoutAProviderCall()
    {
        await using var gateway = await StartAsync();
        var calls = await Simulator.CallsAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent("{\"username\":\"alice\",\"password\":\"x\",\"cf-turnstile-response\":\"tökén\"}", Encoding.UTF8, "application/json"),
        };

        var response = await gateway.Public.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-captcha-token");
        Assert.Equal(calls, await Simulator.CallsAsync());
    }

    [Fact]
    public async Task TokenInHeaderAndBody_Disagree_Gets400()
    {
        await using var gateway = await StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent($"{{\"username\":\"alice\",\"password\":\"x\",\"cf-turnstile-response\":\"{NewToken()}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Captcha-Token", NewToken());

        var response = await gateway.Public.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-captcha-token");
        Assert.Contains("differ", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WhenRisky_CaptchaOnlyOnceHalfTheQuotaIsUsed()
    {
        await using var gateway = await StartAsync(edit: config =>
        {
            var policy = config["FraudGateway"]!["Policies"]!["login"]!;
            policy["Captcha"]!["Mode"] = "WhenRisky";
            policy["Captcha"]!["RiskyAfterQuotaFraction"] = 0.5;
            policy["RateLimits"] = new JsonArray(new JsonObject { ["Name"] = "ip", ["Key"] = "ip", ["Limit"] = 4, ["WindowSeconds"] = 600 });
        });

        var first = await gateway.Public.SendAsync(LoginWith(null));
        var second = await gateway.Public.SendAsync(LoginWith(null));
        var third = await gateway.Public.SendAsync(LoginWith(NewToken()));
        var noAgent = await gateway.Public.SendAsync(LoginWith(null, ip: "100.64.3.3", userAgent: ""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        await noAgent.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
    }

    // A token bucket's Remaining counts down from its burst, not its rate: half of a burst of 4 (of 50 a day) is used
    // after two requests.
    [Fact]
    public async Task WhenRisky_TokenBucket_MeasuresTheQuotaAgainstItsBurst()
    {
        await using var gateway = await StartAsync(edit: config =>
        {
            var policy = config["FraudGateway"]!["Policies"]!["login"]!;
            policy["Captcha"]!["Mode"] = "WhenRisky";
            policy["Captcha"]!["RiskyAfterQuotaFraction"] = 0.5;
            policy["RateLimits"] = new JsonArray(new JsonObject { ["Name"] = "ip-day", ["Key"] = "ip", ["Limit"] = 50, ["WindowSeconds"] = 86400, ["Algorithm"] = "TokenBucket", ["Burst"] = 4 });
        });

        var first = await gateway.Public.SendAsync(LoginWith(null));
        var second = await gateway.Public.SendAsync(LoginWith(null));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
    }

    [Fact]
    public async Task ProofOfWork_SolvedChallengePasses_TamperedOrUnsolvedDoesNot()
    {
        await using var gateway = await StartAsync("ProofOfWork");
        var required = await (await gateway.Public.SendAsync(LoginWith(null))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        var challengeUrl = required.GetProperty("captcha").GetProperty("challengeUrl").GetString()!;
        var challenge = (await gateway.Public.GetFromJsonAsync<JsonObject>(challengeUrl))!;
        var text = (string)challenge["challenge"]!;
        Assert.Equal(8, (int)challenge["difficulty"]!);

        var solved = ProofOfWorkSolver.Solve(text, 8);
        var unsolved = ProofOfWorkSolver.FindFailing(text, 8);
        var tampered = ProofOfWorkSolver.Solve(text.Replace("pow1.", "pow1.9"), 8);

        // Each from another /24, so the pass cookie the first one earns does not apply to the others.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(LoginWith(solved))).StatusCode);
        await (await gateway.Public.SendAsync(LoginWith(solved, ip: "100.64.2.1"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-replayed");
        await (await gateway.Public.SendAsync(LoginWith(unsolved, ip: "100.64.3.1"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-invalid");
        await (await gateway.Public.SendAsync(LoginWith(tampered, ip: "100.64.4.1"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-invalid");
        Assert.Contains("FraudGatewayPow", await gateway.Public.GetStringAsync("/.fraudgateway/pow.js"));
    }
}
