using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaptchaSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using FraudGateway.Configuration;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;
using FraudGateway.Model;
using FraudGateway.Trainer.Commands;
using FraudGateway.Trainer.Data;

namespace FraudGateway.IntegrationTests.Scoring;

// The risk model in the real gateway, in front of the real SampleApi: enforce, challenge, shadow scoring, shadow
// policies, a candidate model beside the live one, hot reload, start-up errors and awkward requests.
public sealed class ScoringTests(Upstreams upstreams) : IClassFixture<Upstreams>, IDisposable
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";
    private static readonly string ShippedModel = Path.Combine(AppContext.BaseDirectory, "models", "fraudgateway.zip");
    private readonly string _dir = Directory.CreateTempSubdirectory("fg-scoring-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private JsonObject Config(JsonObject scoring, string? modelPath = null, string? candidatePath = null, Action<JsonObject>? edit = null)
    {
        var config = GatewayConfig.Default(upstreams.SampleApi.Url);
        var gateway = (JsonObject)config["FraudGateway"]!;
        gateway["Model"] = new JsonObject { ["Path"] = modelPath ?? ShippedModel, ["CandidatePath"] = candidatePath };
        gateway["Policies"]!["login"]!["Scoring"] = scoring;
        edit?.Invoke(config);
        return config;
    }

    private static HttpRequestMessage Login(string ip, bool browser, string user = "alice")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent($$"""{"username":"{{user}}","password":"correct-horse-battery"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", ip);
        if (browser)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
            request.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
            request.Headers.TryAddWithoutValidation("Accept-Language", "en-US,en;q=0.9");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "cors");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "empty");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.32.3");
            request.Headers.TryAddWithoutValidation("Accept", "*/*");
        }

        return request;
    }

    private static Action<WebApplicationBuilder> Capture(CapturingLoggerProvider logs) => b => b.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);

    // 01:30 UTC: the hour at which the schema-1 model, which read the wall clock, refused people's logins.
    private static readonly DateTimeOffset Night = new(2026, 12, 2, 1, 30, 0, TimeSpan.Zero);

    // The gateway on an injected clock at a fixed instant: no outcome depends on when or where the test runs.
    private static Action<WebApplicationBuilder> At(FakeTimeProvider clock, CapturingLoggerProvider? logs = null) => b =>
    {
        b.Services.AddSingleton<TimeProvider>(clock);
        if (logs is not null)
        {
            Capture(logs)(b);
        }
    };

    private static IEnumerable<string> Decisions(CapturingLoggerProvider logs) =>
        logs.Entries.Where(e => e.Category.EndsWith("DecisionRecorder", StringComparison.Ordinal)).Select(e => e.Message);

    [Fact]
    public async Task Enforce_BrowserPasses_ScriptIsRefusedWithScoreVersionAndReasonsRecorded()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Enforce" }), At(new FakeTimeProvider(Night), logs));

        var browser = await gateway.Public.SendAsync(Login("81.2.69.160", browser: true));
        Assert.Equal(HttpStatusCode.OK, browser.StatusCode);

        var script = await gateway.Public.SendAsync(Login("81.2.69.161", browser: false));
        Assert.Equal(HttpStatusCode.Forbidden, script.StatusCode);
        Assert.Equal("application/problem+json", script.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await script.Content.ReadAsStringAsync());
        Assert.Equal("urn:fraudgateway:problem:risk-too-high", problem.RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain("score", problem.RootElement.ToString()); // the client learns nothing about the model

        var version = RiskModel.Load(ShippedModel).Version;
        var record = Assert.Single(Decisions(logs), m => m.Contains("by scoring (risk-score)"));
        Assert.Contains($"block by {version} (", record);
        Assert.Equal(3, record.Split(" (+").Length - 1); // three contributing features with their contributions
        Assert.DoesNotContain("81.2.69.161", record);
    }

    // A person's first login passes at every hour of a week: the gateway's clock (injected) walks the week, each
    // hour from a new address (first seen), with no form token and no counter mapped to the model.
    [Fact]
    public async Task Enforce_BrowserFirstLogin_PassesAtEveryHourOfAWeek()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Enforce" }), At(clock, logs));

        var refused = new List<string>();
        for (var hour = 0; hour < 7 * 24; hour++)
        {
            var response = await gateway.Public.SendAsync(Login($"81.2.{70 + (hour / 200)}.{hour % 200 + 1}", browser: true));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                refused.Add($"{clock.GetUtcNow():ddd HH:mm} -> {(int)response.StatusCode}");
            }

            clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.True(refused.Count == 0, "refused: " + string.Join(", ", refused));
        Assert.DoesNotContain(Decisions(logs), m => m.Contains("by scoring"));
    }

    [Fact]
    public async Task ChallengeBand_RequiresACaptchaThatThenLetsTheRequestThrough()
    {
        var simulator = upstreams.Simulator;
        var config = Config(new JsonObject { ["Mode"] = "Enforce", ["ChallengeThreshold"] = 0.000001, ["BlockThreshold"] = 1.0 }, edit: c =>
        {
            c["FraudGateway"]!["Captcha"] = new JsonObject
            {
                ["Providers"] = new JsonObject
                {
                    ["main"] = new JsonObject
                    {
                        ["Type"] = "Turnstile", ["SiteKey"] = "site-key", ["Secret"] = SimulatorSecrets.AlwaysPasses, ["Simulated"] = true,
                        ["VerifyUrl"] = simulator.Url + "/turnstile/v0/siteverify", ["Hostnames"] = new JsonArray("example.com"),
                    },
                },
            };
            c["FraudGateway"]!["Policies"]!["login"]!["Captcha"] = new JsonObject { ["Mode"] = "WhenRisky", ["Provider"] = "main" };
        });
        await using var gateway = await GatewayServer.StartAsync(config);

        var first = await gateway.Public.SendAsync(Login("81.2.69.170", browser: true));
        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Contains("captcha-required", await first.Content.ReadAsStringAsync());

        var solved = Login("81.2.69.170", browser: true);
        solved.Headers.TryAddWithoutValidation("X-Captcha-Token", $"sim~example.com~-~-~0~{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(solved)).StatusCode);
    }

    [Fact]
    public async Task ShadowScoring_RecordsTheBlockButForwards()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Shadow" }), Capture(logs));

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("81.2.69.162", browser: false))).StatusCode);
        await WaitForAsync(() => Decisions(logs).Any(m => m.Contains("scoring:shadow-block")));
    }

    [Fact]
    public async Task ShadowPolicy_RecordsEveryRefusalAndEnforcesNone()
    {
        var logs = new CapturingLoggerProvider();
        var config = Config(new JsonObject { ["Mode"] = "Enforce" }, edit: c => c["FraudGateway"]!["Policies"]!["login"]!["Shadow"] = true);
        await using var gateway = await GatewayServer.StartAsync(config, Capture(logs));

        // On the policy's deny list, and a script: both would be refused.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("203.0.113.9", browser: true))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("81.2.69.163", browser: false))).StatusCode);
        Assert.Contains(Decisions(logs), m => m.StartsWith("Decision Block (shadow) by access-lists (deny-list)", StringComparison.Ordinal));
        Assert.Contains(Decisions(logs), m => m.StartsWith("Decision Block (shadow) by scoring (risk-score)", StringComparison.Ordinal));

        // Denied AND a script: the walk goes on after the first refusal, so the record names both.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("203.0.113.10", browser: false))).StatusCode);
        Assert.Contains(Decisions(logs), m => m.StartsWith("Decision Block (shadow) by access-lists (deny-list)", StringComparison.Ordinal)
            && m.Contains("access-lists:would-block-deny-list") && m.Contains("scoring:would-block-risk-score"));
    }

    [Fact]
    public async Task CandidateModel_ScoresBesideTheLiveOne_DisagreementsAreLoggedNeverEnforced()
    {
        var candidate = Path.Combine(_dir, "candidate.zip");
        TrainInvertedModel(candidate);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Enforce" }, candidatePath: candidate), At(new FakeTimeProvider(Night), logs));

        // The candidate thinks browsers are abusive; the live model does not, and only the live model decides.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("81.2.69.164", browser: true))).StatusCode);
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Shadow model disagrees", StringComparison.Ordinal) && e.Message.Contains("live fraudgateway@") && e.Message.Contains("candidate inverted@"));
        // The allowed request is recorded for its disagreement, with both models' views.
        JsonNode? disputed = null;
        await EventuallyAsync(async () =>
        {
            disputed = JsonNode.Parse(await gateway.Admin.GetStringAsync("/admin/decisions"))!["decisions"]!.AsArray().FirstOrDefault(d => d!["candidateDecision"] is not null);
            return disputed is not null;
        }, "the disagreement recorded");
        Assert.Equal("allow", (string?)disputed!["action"]);
        Assert.StartsWith("inverted@", (string?)disputed["candidateVersion"]);
        Assert.NotEqual((string?)disputed["riskDecision"], (string?)disputed["candidateDecision"]);
        Assert.NotNull((double?)disputed["candidateScore"]);
        var status = await gateway.Admin.GetStringAsync("/admin/model");
        Assert.Contains("\"candidate\":{", status);
        Assert.Contains("inverted@", status);
        // Both score with their compiled trees: the shipped model and one the trainer just made.
        Assert.Equal(2, status.Split("\"scorer\":\"compiled-trees\"").Length - 1);
    }

    // A candidate missing at start is said to be missing (and watched), not "the previous model stays in use" when
    // there is none; the live model scores on.
    [Fact]
    public async Task CandidateMissingAtStart_IsLoggedAsMissing_NotAsAPreviousModel()
    {
        var missing = Path.Combine(_dir, "not-yet.zip");
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Enforce" }, candidatePath: missing), At(new FakeTimeProvider(Night), logs));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Candidate risk model {missing} could not be loaded at start; no candidate scores until the file loads", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("stays in use", StringComparison.Ordinal));
        var status = JsonNode.Parse(await gateway.Admin.GetStringAsync("/admin/model"))!;
        Assert.Null((string?)status["candidate"]!["version"]);
        Assert.Contains("cannot be read", (string?)status["candidate"]!["lastError"]);
    }

    [Fact]
    public async Task ModelFile_ReplacedWhileServing_IsReloadedWithoutDroppingRequests_AndABadFileKeepsTheOldModel()
    {
        var path = Path.Combine(_dir, "live.zip");
        File.Copy(ShippedModel, path);
        var replacement = Path.Combine(_dir, "inverted.zip");
        TrainInvertedModel(replacement);
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Enforce", ["ChallengeThreshold"] = 0.6, ["BlockThreshold"] = 0.6 }, modelPath: path));
        var before = JsonNode.Parse(await gateway.Admin.GetStringAsync("/admin/model"))!["live"]!["version"]!.GetValue<string>();

        using var stop = new CancellationTokenSource();
        var statuses = new List<HttpStatusCode>();
        var traffic = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var response = await gateway.Public.SendAsync(Login($"81.2.70.{i++ % 250}", browser: true, user: $"user{i}"));
                lock (statuses)
                {
                    statuses.Add(response.StatusCode);
                }
            }
        });

        File.Copy(replacement, path + ".tmp", overwrite: true);
        File.Move(path + ".tmp", path, overwrite: true);
        var after = await WaitForVersionAsync(gateway, v => v != before);
        Assert.StartsWith("inverted@", after);

        await File.WriteAllTextAsync(path, "not a model");
        await WaitForAsync(async () => (await gateway.Admin.GetStringAsync("/admin/model")).Contains("lastError"));
        Assert.Equal(after, await WaitForVersionAsync(gateway, _ => true));

        // A few more answers after the bad file, then stop.
        int answered;
        lock (statuses)
        {
            answered = statuses.Count;
        }

        await WaitForAsync(() =>
        {
            lock (statuses)
            {
                return statuses.Count >= answered + 20;
            }
        });
        stop.Cancel();
        await traffic;
        lock (statuses)
        {
            Assert.NotEmpty(statuses);
            // Every request got an answer: the upstream's (200, or 401 for these unknown users) under the old model,
            // 403 under the inverted one; none failed while the model was swapped.
            Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, s.ToString()));
            Assert.Contains(HttpStatusCode.Forbidden, statuses);
        }
    }

    [Fact]
    public void Start_ScoringPolicyWithMissingOrCorruptModel_FailsWithAClearError()
    {
        var missing = BuildFails(Config(new JsonObject { ["Mode"] = "Enforce" }, modelPath: "/nonexistent/fraudgateway.zip"));
        Assert.Contains("FraudGateway:Model:Path: Model file '/nonexistent/fraudgateway.zip' cannot be read", missing.Message);

        var corrupt = Path.Combine(_dir, "corrupt.zip");
        File.WriteAllText(corrupt, "PK garbage");
        Assert.Contains("is not a readable model", BuildFails(Config(new JsonObject { ["Mode"] = "Enforce" }, modelPath: corrupt)).Message);
    }

    [Fact]
    public async Task Start_RulesOnlyWithoutModel_StartsAndWarns()
    {
        var logs = new CapturingLoggerProvider();
        var config = Config(new JsonObject { ["Mode"] = "Off" }, modelPath: "/nonexistent/fraudgateway.zip");
        await using var gateway = await GatewayServer.StartAsync(config, Capture(logs));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("81.2.69.165", browser: false))).StatusCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("rules-only"));
    }

    [Fact]
    public void Start_BadScoringSettings_AreListedTogether()
    {
        var error = BuildFails(Config(new JsonObject
        {
            ["Mode"] = "Sometimes",
            ["ChallengeThreshold"] = 0.95,
            ["BlockThreshold"] = 1.5,
            ["Counters"] = new JsonObject { ["requestsPerFortnight"] = "ip-minute", ["failuresPerIp"] = "no-such-limit" },
        }));

        Assert.Contains("Scoring:Mode 'Sometimes' is not one of Enforce, Shadow, Off", error.Message);
        Assert.Contains("Scoring:BlockThreshold must be above 0 and at most 1", error.Message);
        Assert.Contains("Scoring:Counters:requestsPerFortnight is not a counter feature", error.Message);
        Assert.Contains("Scoring:Counters:failuresPerIp names rate limit 'no-such-limit'", error.Message);
    }

    [Fact]
    public async Task AwkwardRequests_AreScoredNeverA500()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(Config(new JsonObject { ["Mode"] = "Enforce" }), b => b.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

        var noAgent = Login("81.2.69.166", browser: true);
        noAgent.Headers.Remove("User-Agent");
        Assert.True((int)(await gateway.Public.SendAsync(noAgent)).StatusCode < 500);
        Assert.Contains(Decisions(logs), m => m.Contains("by fraudgateway@")); // scored (ua_missing = 1), not skipped

        var huge = Login("81.2.69.167", browser: true);
        huge.Headers.Remove("User-Agent");
        huge.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 " + new string('x', 16 * 1024));
        Assert.True((int)(await gateway.Public.SendAsync(huge)).StatusCode < 500);

        // Invalid UTF-8 in a header, sent raw: Kestrel or the gateway answer, with a 4xx or a decision, never a 5xx.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, new Uri(gateway.PublicUrl).Port);
        var stream = tcp.GetStream();
        var head = Encoding.ASCII.GetBytes("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nUser-Agent: bad");
        await stream.WriteAsync(head);
        await stream.WriteAsync(new byte[] { 0xC3, 0x28, 0xFF });
        await stream.WriteAsync(Encoding.ASCII.GetBytes("\r\nConnection: close\r\n\r\n{}"));
        var answer = await new StreamReader(stream).ReadLineAsync();
        Assert.Matches(@"^HTTP/1\.1 [1-4]\d\d ", answer);
    }

    private static GatewayConfigurationException BuildFails(JsonObject config) => Configuration.StartupValidationTests.BuildFails(config);

    // A deliberately wrong model: it learned that requests WITH Accept-Language are abusive.
    // A model that calls a request with Accept-Language abusive: it disagrees with the shipped one on browsers.
    internal static void TrainInvertedModel(string path)
    {
        var random = new Random(4);
        var records = Enumerable.Range(0, 2000).Select(i =>
        {
            var features = new float[FeatureSchema.Count];
            for (var j = 0; j < features.Length; j++)
            {
                features[j] = random.Next(0, 3);
            }

            features[FeatureSchema.HeaderAcceptLanguage] = i % 2;
            return new LoadedRecord(i + 1, features, i % 2 == 1, "synthetic", null, null);
        }).ToList();
        ModelTrainer.Train(records, "inverted", seed: 4, trees: 10, ["synthetic"], path, new Progress<string>());
    }

    private static async Task<string> WaitForVersionAsync(GatewayServer gateway, Func<string, bool> accept)
    {
        for (var i = 0; i < 100; i++)
        {
            var version = JsonNode.Parse(await gateway.Admin.GetStringAsync("/admin/model"))!["live"]!["version"]!.GetValue<string>();
            if (accept(version))
            {
                return version;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The model version did not change within 10 s.");
    }

    private static async Task WaitForAsync(Func<bool> condition) => await WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The condition did not hold within 10 s.");
    }
}
