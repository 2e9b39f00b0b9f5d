using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.IntegrationTests.Defense;

// A distributed credential-stuffing run against two gateway instances sharing one real redis-server: every attempt
// from its own /24, a real browser's user agent and header set, each address used once, unknown accounts. No per-client
// rule can fire. The site-wide detector sees it within its window on both instances, defended mode challenges every
// login without a trusted device, a returning person with a device token passes untouched, a new person passes by
// solving the proof of work, the route-wide quota refuses nobody, and the mode ends by itself after the attack.
// Time is a FakeTimeProvider shared by both instances (Store:Clock Gateway): the windows move without waiting.
[Collection(RedisCollection.Name)]
public sealed class DistributedStuffingTests(RedisServer redis, Upstreams upstreams) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero));
    private SampleApiServer Upstream => upstreams.SampleApi;

    public async Task InitializeAsync()
    {
        // People who have never logged in through this test's gateways (the gateway's HTTP clients keep the cookies it
        // sets, so alice and bob's devices become trusted as soon as they log in once).
        foreach (var user in new[] { "carol", "dave" })
        {
            await Upstream.EnsureUserAsync(user, "a-long-passphrase");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private JsonObject Config()
    {
        var config = GatewayConfig.Default(Upstream.Url);
        var login = (JsonObject)config["FraudGateway"]!["Policies"]!["login"]!;
        login["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        login["LoginOutcome"] = new JsonObject { ["FailureStatusCodes"] = new JsonArray(401) };
        // The shipped shape: per-client limits, and one route-wide bucket that attackers would drain.
        login["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 10, ["WindowSeconds"] = 60 },
            new JsonObject { ["Name"] = "route-minute", ["Key"] = "route", ["Limit"] = 120, ["WindowSeconds"] = 60, ["Algorithm"] = "TokenBucket", ["Burst"] = 40 });
        login["Defense"] = new JsonObject
        {
            ["Detector"] = new JsonObject { ["MinUnprovenPerWindow"] = 30, ["CooldownSeconds"] = 120 },
        };
        return config;
    }

    private Action<WebApplicationBuilder> Shared(string prefix) => builder =>
    {
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = prefix,
            ["FraudGateway:Store:Clock"] = "Gateway",
            ["FraudGateway:Store:OperationTimeoutMs"] = "5000",
        });
    };

    private static HttpRequestMessage Login(string ip, string user, string password, string? deviceToken = null, string? captchaToken = null)
    {
        var request = HttpExtensions.BrowserLogin(user, password, ip);
        if (deviceToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Device-Token", deviceToken);
        }

        if (captchaToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Captcha-Token", captchaToken);
        }

        return request;
    }

    private static async Task<string> StateAsync(GatewayServer gateway)
    {
        var list = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/defense"))!;
        var route = ((JsonArray)list["routes"]!).Single(r => (string)r!["route"]! == "auth")!;
        return (string)route["state"]!;
    }

    [Fact]
    public async Task DistributedRun_IsDetectedOnBothInstances_ChallengedUntilItEnds_ReturningPeoplePass()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await GatewayServer.StartAsync(Config(), Shared(prefix));
        await using var second = await GatewayServer.StartAsync(Config(), Shared(prefix));
        var gateways = new[] { first, second };

        // Quiet traffic: people logging in, a few typos. Alice's successful login earns her device a token.
        var welcome = await first.Public.SendAsync(Login("81.2.69.10", "alice", "correct-horse-battery"));
        Assert.Equal(HttpStatusCode.OK, welcome.StatusCode);
        var device = Assert.Single(welcome.Headers.GetValues("X-Device-Token"));
        Assert.Contains(welcome.Headers.GetValues("Set-Cookie"), c => c.StartsWith("fg_device=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        for (var i = 0; i < 60; i++)
        {
            var typo = i % 12 == 0;
            var response = await gateways[i % 2].Public.SendAsync(Login($"81.3.{i}.1", i % 3 == 0 ? "bob" : "alice", typo ? "wrong" : i % 3 == 0 ? "hunter2-hunter2" : "correct-horse-battery"));
            Assert.Equal(typo ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, response.StatusCode);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal("normal", await StateAsync(first));

        // The run: 400 attempts at 10 a second, alternating instances, every one from a new /24, unknown accounts.
        int forwardedBeforeDetection = 0, shedBeforeDetection = 0, challenged = 0, forwardedAfter = 0, refusedByQuota = 0;
        var detectedAt = -1;
        for (var i = 0; i < 400; i++)
        {
            var response = await gateways[i % 2].Public.SendAsync(Login($"100.{64 + (i / 250)}.{i % 250}.{7 + (i % 3)}", $"victim{i}@example.org", "Summer2024!"));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Before detection the route-wide bucket sheds the run (no person is in it here); after, it never refuses.
                refusedByQuota += detectedAt < 0 ? 0 : 1;
                shedBeforeDetection += detectedAt < 0 ? 1 : 0;
            }
            else if (body.Contains("captcha-required", StringComparison.Ordinal))
            {
                challenged++;
                detectedAt = detectedAt < 0 ? i : detectedAt;
            }
            else if (detectedAt < 0)
            {
                forwardedBeforeDetection++;
            }
            else
            {
                forwardedAfter++;
            }

            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Detected within its 60-second window (here within about 6 s: the warm-up baseline asks for 4 x 15 unproven
        // attempts), on both instances.
        Assert.InRange(detectedAt, 1, 100);
        Assert.Equal(0, forwardedAfter);
        Assert.Equal(400 - forwardedBeforeDetection - shedBeforeDetection, challenged);
        Assert.Equal(0, refusedByQuota);
        Assert.Equal("detected", await StateAsync(first));
        Assert.Equal("detected", await StateAsync(second));

        // During the attack: the returning device passes on either instance; a new person is challenged, solves the
        // proof of work and gets in.
        Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(Login("81.2.69.11", "alice", "correct-horse-battery", deviceToken: device))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Public.SendAsync(Login("81.2.69.12", "alice", "correct-horse-battery", deviceToken: device))).StatusCode);
        var newcomer = await first.Public.SendAsync(Login("81.4.1.1", "carol", "a-long-passphrase"));
        var required = await newcomer.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        var challenge = (await first.Public.GetFromJsonAsync<JsonObject>(required.GetProperty("captcha").GetProperty("challengeUrl").GetString()!))!;
        var solved = ProofOfWorkSolver.Solve((string)challenge["challenge"]!, (int)challenge["difficulty"]!);
        Assert.Equal(HttpStatusCode.OK, (await first.Public.SendAsync(Login("81.4.1.1", "carol", "a-long-passphrase", captchaToken: solved))).StatusCode);
        // Alice's token does not make dave's login trusted (it names alice's account).
        await (await second.Public.SendAsync(Login("81.5.1.1", "dave", "a-long-passphrase", deviceToken: device))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");

        // The attack stops; people go on. After the window and the cool-down the mode ends by itself on both instances.
        for (var i = 0; i < 40; i++)
        {
            await gateways[i % 2].Public.SendAsync(Login($"81.6.{i}.1", "alice", "correct-horse-battery", deviceToken: device));
            _clock.Advance(TimeSpan.FromSeconds(6));
        }

        Assert.Equal("normal", await StateAsync(first));
        Assert.Equal("normal", await StateAsync(second));
        Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(Login("81.7.1.1", "dave", "a-long-passphrase"))).StatusCode);
    }

    [Fact]
    public async Task OperatorForcesDefendedMode_OnEveryInstance_AuditedAndRevocable()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await GatewayServer.StartAsync(Config(), Shared(prefix));
        await using var second = await GatewayServer.StartAsync(Config(), Shared(prefix));
        var device = Assert.Single((await first.Public.SendAsync(Login("81.2.69.10", "alice", "correct-horse-battery"))).Headers.GetValues("X-Device-Token"));
        Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(Login("81.2.69.20", "bob", "hunter2-hunter2"))).StatusCode);

        var forced = await first.Admin.PostAsJsonAsync("/admin/defense", new { policy = "login", route = "auth", mode = "on", ttlSeconds = 600 });
        Assert.Equal(HttpStatusCode.NoContent, forced.StatusCode);
        Assert.Equal("forced-on", await StateAsync(second));
        _clock.Advance(TimeSpan.FromSeconds(3)); // past the other instance's refresh interval (the GET above read it already)
        await (await second.Public.SendAsync(Login("81.2.69.21", "carol", "a-long-passphrase"))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(Login("81.2.69.22", "alice", "correct-horse-battery", deviceToken: device))).StatusCode);

        // Revoking alice's devices: her token is no longer trusted in defended mode.
        Assert.Equal(HttpStatusCode.NoContent, (await second.Admin.PostAsJsonAsync("/admin/devices/revoke", new { account = "alice" })).StatusCode);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await (await first.Public.SendAsync(Login("81.2.69.23", "alice", "correct-horse-battery", deviceToken: device))).AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");

        var audit = await first.Admin.GetStringAsync("/admin/audit");
        Assert.Contains("defense:login:auth", audit);
        Assert.Contains("mode=on", audit);
        Assert.Contains("devices revoked", audit);
        Assert.DoesNotContain("alice", audit);

        Assert.Equal(HttpStatusCode.NoContent, (await first.Admin.PostAsJsonAsync("/admin/defense", new { policy = "login", route = "auth", mode = "auto" })).StatusCode);
        Assert.Equal("normal", await StateAsync(first));
    }

    // An attacker that pays for its proofs of work: once most logins that solved one fail, defended mode asks for the
    // ladder's captcha rung instead (here Turnstile, verified by the captcha simulator).
    [Fact]
    public async Task ProofsOfWorkSolvedAtAttackRates_EscalateDefendedModeToTheCaptcha()
    {
        var simulator = upstreams.Simulator;
        var config = Config();
        var gateway = config["FraudGateway"]!.AsObject();
        gateway["Captcha"] = new JsonObject
        {
            ["ProviderTimeoutMs"] = 10_000,
            ["Providers"] = new JsonObject
            {
                ["turnstile"] = new JsonObject
                {
                    ["Type"] = "Turnstile", ["SiteKey"] = "site-key", ["Secret"] = CaptchaSimulator.SimulatorSecrets.AlwaysPasses, ["Simulated"] = true,
                    ["VerifyUrl"] = simulator.Url + "/turnstile/v0/siteverify", ["Hostnames"] = new JsonArray("example.com"),
                },
            },
        };
        gateway["Policies"]!["login"]!["Scoring"] = new JsonObject
        {
            ["Mode"] = "Enforce",
            ["Ladder"] = new JsonObject
            {
                ["ProofOfWork"] = new JsonObject { ["Threshold"] = 0.5 },
                ["Captcha"] = new JsonObject { ["Provider"] = "turnstile", ["Threshold"] = 0.9 },
                ["Block"] = new JsonObject { ["Threshold"] = 0.95 },
            },
        };
        await using var server = await GatewayServer.StartAsync(config, b => b.Services.AddSingleton<TimeProvider>(_clock));
        await server.Admin.PostAsJsonAsync("/admin/defense", new { policy = "login", route = "auth", mode = "on", ttlSeconds = 3600 });

        string? escalatedTo = null;
        for (var i = 0; i < 60 && escalatedTo is null; i++)
        {
            var address = $"100.66.{i}.9";
            var first = await server.Public.SendAsync(Login(address, $"victim{i}@example.org", "Summer2024!"));
            var captcha = (await first.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required")).GetProperty("captcha");
            if (captcha.GetProperty("provider").GetString() != "proof-of-work")
            {
                escalatedTo = captcha.GetProperty("provider").GetString();
                break;
            }

            var challenge = (await server.Public.GetFromJsonAsync<JsonObject>(captcha.GetProperty("challengeUrl").GetString()!))!;
            var solved = ProofOfWorkSolver.Solve((string)challenge["challenge"]!, (int)challenge["difficulty"]!);
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Public.SendAsync(Login(address, $"victim{i}@example.org", "Summer2024!", captchaToken: solved))).StatusCode);
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal("turnstile", escalatedTo);
        Assert.Contains("escalated to the captcha", await StateAsync(server));
        // A person still gets in: with a solved captcha.
        var person = await server.Public.SendAsync(Login("81.9.1.1", "carol", "a-long-passphrase", captchaToken: $"sim~example.com~-~-~0~{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.OK, person.StatusCode);
    }

    [Theory]
    [InlineData("""{"policy":"nope","route":"auth","mode":"on","ttlSeconds":60}""", "policy must name a policy with a Defense section.")]
    [InlineData("""{"policy":"login","route":"auth","mode":"sometimes","ttlSeconds":60}""", "mode must be on, off or auto.")]
    [InlineData("""{"policy":"login","route":"auth","mode":"on"}""", "ttlSeconds is required for on and off")]
    [InlineData("""not json""", "The body must be a JSON object")]
    public async Task ForceWithBadInput_Is400InvalidRequest(string body, string message)
    {
        await using var gateway = await GatewayServer.StartAsync(Config(), b => b.Services.AddSingleton<TimeProvider>(_clock));
        var response = await gateway.Admin.PostAsync("/admin/defense", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        Assert.Contains(message, problem.GetProperty("detail").GetString());
    }
}
