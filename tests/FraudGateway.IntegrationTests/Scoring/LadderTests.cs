using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.IntegrationTests.Scoring;

// The shipped login policy (src/FraudGateway/appsettings.json as it is, in front of a real SampleApi): the ladder's
// answers through the live gateway. What people ordinarily do gets through; one odd signal earns the proof of work,
// which a solved challenge passes; a script that is odd in two independent ways is blocked.
public sealed class LadderTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0";
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);



    private JsonObject Shipped() => GatewayConfig.Shipped(upstreams.SampleApi.Url);

    private static Action<WebApplicationBuilder> At(CapturingLoggerProvider logs) => b =>
    {
        b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Noon));
        b.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
    };

    private static HttpRequestMessage Login(string ip, string user, string password, string userAgent = Chrome, bool form = false,
        bool acceptLanguage = true, bool acceptEncoding = true, bool secFetch = true, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = form
                ? new FormUrlEncodedContent([new("username", user), new("password", password)])
                : new StringContent(JsonSerializer.Serialize(new { username = user, password }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", ip);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.TryAddWithoutValidation("Accept", form ? "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" : "application/json, text/plain, */*");
        if (acceptLanguage)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", "pt-BR,pt;q=0.9,en;q=0.8");
        }

        if (acceptEncoding)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
        }

        if (secFetch)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", form ? "navigate" : "cors");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", form ? "document" : "empty");
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Captcha-Token", token);
        }

        return request;
    }

    // The gateway's own refusal, if any: its problem type (the upstream's 401 is not one).
    private static async Task<string?> GatewayRefusal(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var type = problem.RootElement.GetProperty("type").GetString()!;
        return type.StartsWith("urn:fraudgateway:", StringComparison.Ordinal) ? $"{(int)response.StatusCode} {type}" : null;
    }

    [Fact]
    public async Task OrdinaryBehaviours_AreNeverRefusedOrChallenged()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Shipped(), At(logs));
        var refused = new List<string>();
        async Task Expect(string behaviour, HttpRequestMessage request, HttpStatusCode upstream)
        {
            var response = await gateway.Public.SendAsync(request);
            if (await GatewayRefusal(response) is { } refusal)
            {
                refused.Add($"{behaviour}: {refusal}");
            }
            else if (response.StatusCode != upstream)
            {
                refused.Add($"{behaviour}: upstream answered {(int)response.StatusCode}, expected {(int)upstream}");
            }
        }

        await Expect("first login, fetch JSON", Login("81.2.69.10", "alice", "correct-horse-battery"), HttpStatusCode.OK);
        await Expect("first login, Firefox", Login("81.2.69.11", "alice", "correct-horse-battery", Firefox), HttpStatusCode.OK);
        // The SampleApi reads JSON only: a form post reaches it and it answers 415 itself.
        await Expect("first login, HTML form post", Login("81.2.69.12", "alice", "correct-horse-battery", form: true), HttpStatusCode.UnsupportedMediaType);
        await Expect("no Accept-Language", Login("81.2.69.13", "alice", "correct-horse-battery", acceptLanguage: false), HttpStatusCode.OK);
        await Expect("no Accept-Encoding", Login("81.2.69.14", "alice", "correct-horse-battery", acceptEncoding: false), HttpStatusCode.OK);
        // A password manager: the same request, sent at once and again a second later.
        await Expect("password manager", Login("81.2.69.15", "bob", "hunter2-hunter2"), HttpStatusCode.OK);
        await Expect("password manager again", Login("81.2.69.15", "bob", "hunter2-hunter2"), HttpStatusCode.OK);
        // A phone moving between wifi and mobile data, a commuter: 3 addresses for the account this hour, then 6.
        foreach (var ip in new[] { "81.2.70.1", "100.64.9.9", "2a02:1810:4d00:1::7", "81.2.71.2", "81.2.72.3", "81.2.73.4" })
        {
            await Expect($"bob from {ip}", Login(ip, "bob", "hunter2-hunter2"), HttpStatusCode.OK);
        }

        // Two typos, then the right password.
        await Expect("typo 1", Login("81.2.69.20", "alice", "correct-horse-batery"), HttpStatusCode.Unauthorized);
        await Expect("typo 2", Login("81.2.69.20", "alice", "Correct-horse-battery"), HttpStatusCode.Unauthorized);
        await Expect("then right", Login("81.2.69.20", "alice", "correct-horse-battery"), HttpStatusCode.OK);
        // A household: three people on one address.
        await Expect("household alice", Login("81.2.69.30", "alice", "correct-horse-battery"), HttpStatusCode.OK);
        await Expect("household bob", Login("81.2.69.30", "bob", "hunter2-hunter2"), HttpStatusCode.OK);
        await Expect("household carol", Login("81.2.69.30", "carol", "not-her-password"), HttpStatusCode.Unauthorized);

        Assert.True(refused.Count == 0, "refused: " + string.Join("; ", refused));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("by scoring", StringComparison.Ordinal));
    }

    // The README's loop: a person retrying a wrong password gets the upstream's 401 ten times, then the limit's 429.
    [Fact]
    public async Task RetryingAWrongPassword_GetsTheUpstreamsAnswerUntilTheLimit()
    {
        await using var gateway = await GatewayServer.StartAsync(Shipped(), At(new CapturingLoggerProvider()));
        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add((int)(await gateway.Public.SendAsync(Login("100.64.7.7", "bob", "x"))).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(401, 10), 429], statuses);
    }

    [Fact]
    public async Task OneOddSignal_EarnsTheProofOfWork_WhichASolvedChallengePasses()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Shipped(), At(logs));

        // A library's user agent behind a copied browser header set: one signal group (the user agent).
        const string bot = "python-requests/2.32.3";
        var first = await gateway.Public.SendAsync(Login("81.2.69.40", "alice", "correct-horse-battery", bot));
        var required = await first.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        Assert.Equal("pow", required.GetProperty("captcha").GetProperty("provider").GetString());
        var challengeUrl = required.GetProperty("captcha").GetProperty("challengeUrl").GetString()!;
        var challenge = (await gateway.Public.GetFromJsonAsync<JsonObject>(challengeUrl))!;
        var solved = ProofOfWorkSolver.Solve((string)challenge["challenge"]!, (int)challenge["difficulty"]!);

        var second = await gateway.Public.SendAsync(Login("81.2.69.40", "alice", "correct-horse-battery", bot, token: solved));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        // The record says which rung and why.
        Assert.Contains(logs.Entries, e => e.Message.Contains("challenge by fraudgateway@", StringComparison.Ordinal)
            && e.Message.Contains("rung proof-of-work", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoIndependentSignals_AreBlocked_AndTheRecordNamesThem()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Shipped(), At(logs));

        // python-requests as it is: its user agent and its own header set.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent("""{"username":"alice","password":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "81.2.69.50");
        request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.32.3");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate");
        await (await gateway.Public.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden, "risk-too-high");
        Assert.Contains(logs.Entries, e => e.Message.Contains("block by fraudgateway@", StringComparison.Ordinal)
            && e.Message.Contains("independent evidence user-agent+header-set", StringComparison.Ordinal));
    }

    // A real Android user agent with one Latin-1 byte ("Versão", sent as the byte 0xE3) reaches the pipeline and the
    // upstream; Kestrel does not answer it with a bare 400.
    [Fact]
    public async Task Latin1ByteInUserAgent_ReachesThePipeline()
    {
        await using var gateway = await GatewayServer.StartAsync(Shipped(), At(new CapturingLoggerProvider()));
        var body = Encoding.UTF8.GetBytes("""{"username":"alice","password":"correct-horse-battery"}""");
        var head = Encoding.ASCII.GetBytes("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Forwarded-For: 81.2.69.60\r\n"
            + "Accept: */*\r\nAccept-Language: pt-BR\r\nAccept-Encoding: gzip\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nUser-Agent: Mozilla/5.0 (Linux; Android 9; Vers");
        var tail = Encoding.ASCII.GetBytes("o 2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36\r\n\r\n");
        var (status, problem, text) = await RawHttp.SendAsync(gateway.PublicUrl, [.. head, 0xE3, .. tail, .. body]);
        Assert.True(status == 200, $"{status} {problem}: {text}");
    }
}
