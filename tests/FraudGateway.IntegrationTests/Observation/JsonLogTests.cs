using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Observation;

// The gateway process with the JSON console formatter, as README "Logs" documents it: one JSON object per line,
// and the decision record's parts as separate fields of its State.
public class JsonLogTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    [Fact]
    public async Task JsonConsoleLogs_DecisionRecord_HasScoreModelActionAndReasonsAsFields()
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["Scoring"] = new JsonObject { ["Mode"] = "Enforce" };
        await using var gateway = await GatewayProcess.StartAsync(config, new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            ["Logging__LogLevel__FraudGateway"] = "Information",
        });

        using var request = Login("alice", "correct-horse-battery", "100.64.121.9");
        request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.28.1");
        var answer = await gateway.Public.SendAsync(request);
        await answer.AssertProblemAsync(HttpStatusCode.Forbidden, "risk-too-high");

        JsonElement record = default;
        await EventuallyAsync(() => Task.FromResult(gateway.Output.Select(Parse).Any(line =>
        {
            record = line;
            return line.ValueKind == JsonValueKind.Object && line.GetProperty("EventId").GetInt32() == 1802;
        })), "the scored decision record in the log");

        Assert.Equal("Information", record.GetProperty("LogLevel").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", record.GetProperty("Timestamp").GetString());
        var state = record.GetProperty("State");
        Assert.Equal("Block", state.GetProperty("Outcome").GetString());
        Assert.Equal("risk-score", state.GetProperty("Reason").GetString());
        Assert.Equal("login", state.GetProperty("Policy").GetString());
        Assert.Equal("block", state.GetProperty("RiskDecision").GetString());
        Assert.InRange(state.GetProperty("Score").GetDouble(), 0.5, 1.0);
        Assert.StartsWith("fraudgateway@", state.GetProperty("ModelVersion").GetString(), StringComparison.Ordinal);
        Assert.Contains("ua_", state.GetProperty("TopFeatures").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", state.GetProperty("ClientId").GetString());
        Assert.DoesNotContain(gateway.Output, line => line.Contains("100.64.121.9", StringComparison.Ordinal));
    }

    private static JsonElement Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
