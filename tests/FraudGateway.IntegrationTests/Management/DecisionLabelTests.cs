using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.Model;
using FraudGateway.Trainer.Commands;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// Labels on recorded decisions become training rows: label through the API, export, train a candidate on the export
// and a simulation with the real trainer, and load it as the gateway's candidate model.
public sealed class DecisionLabelTests(Upstreams upstreams) : IClassFixture<Upstreams>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fraudgateway-labels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HttpRequestMessage Scripted(string ip)
    {
        var request = Login("alice", "wrong-password", ip);
        request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.28.1");
        return request;
    }

    private static HttpRequestMessage Browser(string ip) => BrowserLogin("alice", "correct-horse-battery", ip);

    [Fact]
    public async Task LabelledDecisions_AreExported_TrainACandidate_ThatTheGatewayLoads()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["Scoring"] = new JsonObject { ["Mode"] = "Enforce" };
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["Record"] = "All" };
        await using var gateway = await GatewayServer.StartAsync(config);

        var blocked = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var answer = await gateway.Public.SendAsync(Scripted($"100.64.151.{i + 1}"));
            blocked.Add((await answer.AssertProblemAsync(HttpStatusCode.Forbidden, "risk-too-high")).GetProperty("requestId").GetString()!);
        }

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Browser($"100.64.152.{i + 1}"))).StatusCode);
        }

        var allowed = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/decisions?action=allow")).RootElement
            .GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("requestId").GetString()!).ToList();
        Assert.Equal(2, allowed.Count);

        foreach (var id in blocked)
        {
            var labelled = await gateway.Admin.PostAsJsonAsync($"/admin/decisions/{id}/label", new { label = "fraud", note = "scripted login" });
            Assert.Equal(HttpStatusCode.OK, labelled.StatusCode);
        }

        foreach (var id in allowed)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Admin.PostAsJsonAsync($"/admin/decisions/{id}/label", new { label = "legitimate" })).StatusCode);
        }

        // The label is part of the decision as the API shows it, and in the audit trail.
        var one = JsonDocument.Parse(await gateway.Admin.GetStringAsync($"/admin/decisions/{blocked[0]}")).RootElement;
        Assert.Equal("fraud", one.GetProperty("label").GetProperty("label").GetString());
        Assert.Equal("scripted login", one.GetProperty("label").GetProperty("note").GetString());
        Assert.Contains("label=fraud", await gateway.Admin.GetStringAsync("/admin/audit"), StringComparison.Ordinal);

        // Bad labels.
        await (await gateway.Admin.PostAsJsonAsync($"/admin/decisions/{blocked[0]}/label", new { label = "maybe" })).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Admin.PostAsJsonAsync($"/admin/decisions/{blocked[0]}/label", new { label = "fraud", note = new string('x', 201) })).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Admin.PostAsJsonAsync($"/admin/decisions/{blocked[0]}/label", new { label = "fraud", note = "from 100.64.151.1" })).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Admin.PostAsync($"/admin/decisions/{blocked[0]}/label", new StringContent("fraud"))).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Admin.PostAsJsonAsync("/admin/decisions/0HNNOPE:00000009/label", new { label = "fraud" })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        // A decision made before the model scored (the deny list) has no features: its label could never be exported.
        var denied = await gateway.Public.SendAsync(Login("alice", "x", "203.0.113.77"));
        var deniedId = (await denied.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied")).GetProperty("requestId").GetString()!;
        await EventuallyAsync(async () => (await gateway.Admin.GetAsync($"/admin/decisions/{deniedId}")).StatusCode == HttpStatusCode.OK, "the deny-list record");
        var refused = await (await gateway.Admin.PostAsJsonAsync($"/admin/decisions/{deniedId}/label", new { label = "fraud" })).AssertProblemAsync(HttpStatusCode.Conflict, "not-labelable");
        Assert.Contains("no features", refused.GetProperty("detail").GetString());
        await (await gateway.Admin.GetAsync("/admin/training-export?since=later")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");

        // The export: one feature record per labelled decision, every feature of the schema, no identifier.
        var export = await gateway.Admin.GetAsync("/admin/training-export");
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var text = await export.Content.ReadAsStringAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(3, lines.Count(l => JsonDocument.Parse(l).RootElement.GetProperty("label").GetInt32() == 1));
        Assert.All(lines, l => Assert.Equal(FeatureSchema.Names.Length, JsonDocument.Parse(l).RootElement.GetProperty("features").EnumerateObject().Count()));
        Assert.DoesNotContain("100.64.15", text, StringComparison.Ordinal);
        var exportPath = Path.Combine(_dir, "export.jsonl");
        await File.WriteAllTextAsync(exportPath, text);

        // The real trainer: a small simulation plus the export -> a candidate model.
        var simulated = Path.Combine(_dir, "simulated.jsonl");
        var candidate = Path.Combine(_dir, "candidate.zip");
        var lists = Path.Combine(_dir, "lists");
        var log = new StringWriter();
        Assert.True(TrainerCli.Run(["simulate", "--out", simulated, "--seed", "3", "--scale", "0.05", "--ip-lists", lists], log, log) == 0, log.ToString());
        Assert.True(TrainerCli.Run(["train", "--data", simulated, exportPath, "--out", candidate, "--trees", "10", "--name", "labelled", "--ip-lists", lists], log, log) == 0, log.ToString());

        // Loaded as the candidate model next to the shipped live one.
        await using var next = await GatewayServer.StartAsync(config, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FraudGateway:Model:CandidatePath"] = candidate,
        }));
        var models = JsonDocument.Parse(await next.Admin.GetStringAsync("/admin/model")).RootElement;
        Assert.StartsWith("labelled@", models.GetProperty("candidate").GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.False(models.GetProperty("candidate").TryGetProperty("lastError", out _));
    }
}
