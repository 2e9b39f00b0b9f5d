using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Json.Schema;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// The management API against its own OpenAPI document (a contract test, not a snapshot): every operation the
// document lists is called with a valid request, and its status must be the one the document gives for success, its
// body valid against that response's schema; every /admin operation without the key answers its documented 401.
// An operation added without a call here fails the test, so the document and the API cannot drift apart.
public sealed class OpenApiContractTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private const string Python = "python-requests/2.31.0";



    [Fact]
    public async Task EveryOperation_AnswersWhatTheDocumentSays()
    {
        await using var gateway = await GatewayServer.StartAsync(GatewayConfig.Shipped(upstreams.SampleApi.Url));
        var document = JsonNode.Parse(await gateway.Management.GetStringAsync("/openapi/v1.json"))!.AsObject();
        Assert.Equal("3.1.1", (string?)document["openapi"]);

        // A scored refusal to look up, label and export (python-requests with its own headers: blocked by the model).
        var scripted = Login("alice", "wrong-password", "100.64.210.1");
        scripted.Headers.TryAddWithoutValidation("User-Agent", Python);
        var refused = await (await gateway.Public.SendAsync(scripted)).AssertProblemAsync(HttpStatusCode.Forbidden, "risk-too-high");
        var requestId = refused.GetProperty("requestId").GetString()!;
        await EventuallyAsync(async () => (await gateway.Admin.GetAsync($"/admin/decisions/{requestId}")).StatusCode == HttpStatusCode.OK, "the decision record");
        var banId = await BanAsync(gateway, "100.64.210.9");

        var calls = new (string Method, string Path, Func<HttpRequestMessage> Request)[]
        {
            ("GET", "/healthz", () => Get("/healthz")),
            ("GET", "/readyz", () => Get("/readyz")),
            ("POST", "/admin/bans", () => Json(HttpMethod.Post, "/admin/bans", new { subject = "100.64.210.2", ttlSeconds = 600, reason = "contract" })),
            ("GET", "/admin/bans", () => Get("/admin/bans")),
            ("GET", "/admin/bans/lookup", () => Get("/admin/bans/lookup?subject=100.64.210.2")),
            ("DELETE", "/admin/bans", () => new HttpRequestMessage(HttpMethod.Delete, "/admin/bans?subject=100.64.210.2")),
            ("DELETE", "/admin/bans/{id}", () => new HttpRequestMessage(HttpMethod.Delete, $"/admin/bans/{Uri.EscapeDataString(banId)}")),
            ("DELETE", "/admin/limits", () => new HttpRequestMessage(HttpMethod.Delete, "/admin/limits?policy=login&limit=ip-minute&ip=100.64.210.1")),
            ("GET", "/admin/model", () => Get("/admin/model")),
            ("GET", "/admin/decisions", () => Get("/admin/decisions?policy=login&action=block&limit=10")),
            ("GET", "/admin/decisions/{requestId}", () => Get($"/admin/decisions/{requestId}")),
            ("POST", "/admin/decisions/{requestId}/label", () => Json(HttpMethod.Post, $"/admin/decisions/{requestId}/label", new { label = "fraud", note = "scripted" })),
            ("GET", "/admin/training-export", () => Get("/admin/training-export?since=2026-01-01T00:00:00Z")),
            ("DELETE", "/admin/decisions/{requestId}/label", () => new HttpRequestMessage(HttpMethod.Delete, $"/admin/decisions/{requestId}/label")),
            ("GET", "/admin/subjects", () => Get("/admin/subjects?account=alice")),
            ("GET", "/admin/defense", () => Get("/admin/defense")),
            ("POST", "/admin/defense", () => Json(HttpMethod.Post, "/admin/defense", new { policy = "login", route = "auth", mode = "on", ttlSeconds = 60 })),
            ("POST", "/admin/devices/revoke", () => Json(HttpMethod.Post, "/admin/devices/revoke", new { account = "alice" })),
            ("GET", "/admin/audit", () => Get("/admin/audit?limit=20")),
            ("DELETE", "/admin/subjects", () => new HttpRequestMessage(HttpMethod.Delete, "/admin/subjects?ip=100.64.210.9")),
        };

        var documented = Operations(document).ToList();
        Assert.Equal(documented.Order().ToList(), calls.Select(c => $"{c.Method} {c.Path}").Order().ToList());
        foreach (var (method, path, request) in calls)
        {
            var operation = document["paths"]![path]![method.ToLowerInvariant()]!;
            var responses = operation["responses"]!.AsObject();
            var success = responses.Select(r => r.Key).Single(code => code.StartsWith('2'));
            using var sent = request();
            if (sent.Content is { } sentBody)
            {
                // The request body the call sends is one the document describes.
                var requestSchema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                Assert.True(requestSchema is not null, $"{method} {path}: its JSON body is not documented");
                var bodySchema = JsonSchema.FromText(Inline(document, requestSchema.DeepClone(), 0).ToJsonString());
                Assert.True(bodySchema.Evaluate(JsonDocument.Parse(await sentBody.ReadAsStringAsync()).RootElement).IsValid, $"{method} {path}: the request body does not match its schema");
            }

            using var response = await gateway.Admin.SendAsync(sent);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) == success, $"{method} {path}: {(int)response.StatusCode}, documented {success}: {body}");
            AssertMatches(document, responses[success]!, response, body, $"{method} {path}");

            if (path.StartsWith("/admin", StringComparison.Ordinal))
            {
                using var anonymous = request();
                using var unauthorized = await gateway.Management.SendAsync(anonymous);
                Assert.True(unauthorized.StatusCode == HttpStatusCode.Unauthorized && responses.ContainsKey("401"), $"{method} {path} without the key");
                var problem = JsonDocument.Parse(await unauthorized.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("urn:fraudgateway:problem:unauthorized", problem.GetProperty("type").GetString());
                Assert.Contains("urn:fraudgateway:problem:unauthorized", (string?)responses["401"]!["description"]);
            }
        }
    }

    // Query parameters the handlers read are documented, and a documented error is what a bad call answers.
    [Fact]
    public async Task QueryParameters_AndDocumentedErrors_AreTrue()
    {
        await using var gateway = await GatewayServer.StartAsync(GatewayConfig.Shipped(upstreams.SampleApi.Url));
        var document = JsonNode.Parse(await gateway.Management.GetStringAsync("/openapi/v1.json"))!.AsObject();
        string[] Parameters(string path) =>
            document["paths"]![path]!["get"]!["parameters"]!.AsArray().Where(p => (string?)p!["in"] == "query").Select(p => (string)p!["name"]!).Order().ToArray();

        Assert.Equal(["account", "action", "before", "ip", "limit", "policy", "reason", "since"], Parameters("/admin/decisions"));
        Assert.Equal(["limit", "since"], Parameters("/admin/audit"));
        Assert.Equal(["since"], Parameters("/admin/training-export"));
        Assert.Equal(["account", "ip", "prefix"], Parameters("/admin/subjects"));

        foreach (var (path, status, type) in new[]
        {
            ("/admin/decisions?policy=nope", "400", "invalid-request"),
            ("/admin/audit?limit=0", "400", "invalid-request"),
            ("/admin/training-export?since=yesterday", "400", "invalid-request"),
            ("/admin/subjects?ip=1.2.3.4&account=a", "400", "invalid-request"),
            ("/admin/decisions/unknown-request", "404", "not-found"),
        })
        {
            using var response = await gateway.Admin.GetAsync(path);
            var template = path.StartsWith("/admin/decisions/", StringComparison.Ordinal) ? "/admin/decisions/{requestId}" : path[..path.IndexOf('?', StringComparison.Ordinal)];
            Assert.Equal(status, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains($"urn:fraudgateway:problem:{type}", (string?)document["paths"]![template]!["get"]!["responses"]![status]!["description"]);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static IEnumerable<string> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key}"));

    // The response's media type is one the document lists, and a JSON body validates against its schema.
    private static void AssertMatches(JsonObject document, JsonNode documentedResponse, HttpResponseMessage response, string body, string what)
    {
        if (documentedResponse["content"] is not JsonObject content || content.Count == 0)
        {
            Assert.True(body.Length == 0, $"{what}: documented without a body, answered {body}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        Assert.True(content.ContainsKey(mediaType), $"{what}: answered {mediaType}, documented {string.Join(", ", content.Select(c => c.Key))}");
        Assert.True(body.Length > 0, $"{what}: documented with a {mediaType} body, answered none");
        if (mediaType is not ("application/json" or "application/problem+json") || content[mediaType]!["schema"] is not JsonNode schemaNode)
        {
            return;
        }

        var schema = JsonSchema.FromText(Inline(document, schemaNode.DeepClone(), 0).ToJsonString());
        var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{what}: the body does not match its schema: " +
            string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) + "\n" + body);
    }

    // The schema with every "#/components/schemas/X" reference replaced by X itself (the document's schemas are not
    // recursive; depth bounds it anyway).
    private static JsonNode Inline(JsonObject document, JsonNode node, int depth)
    {
        Assert.True(depth < 20, "schema nesting too deep");
        if (node is JsonObject obj)
        {
            if (obj["$ref"] is JsonValue reference && ((string?)reference)?.StartsWith("#/components/schemas/", StringComparison.Ordinal) == true)
            {
                var name = ((string)reference!)["#/components/schemas/".Length..];
                return Inline(document, document["components"]!["schemas"]![name]!.DeepClone(), depth + 1);
            }

            foreach (var key in obj.Select(p => p.Key).ToList())
            {
                obj[key] = obj[key] is { } child ? Inline(document, child.DeepClone(), depth + 1) : null;
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                array[i] = array[i] is { } child ? Inline(document, child.DeepClone(), depth + 1) : null;
            }
        }

        return node;
    }

    private static async Task<string> BanAsync(GatewayServer gateway, string subject)
    {
        using var response = await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject, ttlSeconds = 600, reason = "contract" });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
        new(method, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
}
