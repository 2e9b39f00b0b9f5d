using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// The decision store through the management API: refusals recorded with every reason, found by the requestId the
// client saw, by address or account (HMAC computed by the gateway), filtered and paged; shared by instances on Redis.
[Collection(RedisCollection.Name)]
public class DecisionQueryTests(RedisServer redis, Upstreams upstreams)
{
    private Action<WebApplicationBuilder>? Store(bool useRedis, string prefix) => useRedis
        ? builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = prefix,
            ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
        })
        : null;

    private static JsonObject Config(string upstream)
    {
        var config = GatewayConfig.Default(upstream);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 2, ["WindowSeconds"] = 60 });
        config["FraudGateway"]!["Policies"]!["login"]!["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        return config;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refusals_AreRecorded_FoundByRequestIdAddressAndAccount_FilteredAndPaged(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        var prefix = "d" + Guid.NewGuid().ToString("N")[..12];
        await using var gateway = await GatewayServer.StartAsync(Config(upstream.Url), Store(useRedis, prefix));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(Login("Alice", "correct-horse-battery", "100.64.131.7"))).StatusCode);
        }

        var limited = await gateway.Public.SendAsync(Login("Alice", "correct-horse-battery", "100.64.131.7"));
        var limitedId = (await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "quota-exceeded")).GetProperty("requestId").GetString()!;
        var denied = await gateway.Public.SendAsync(Login("bob", "hunter2-hunter2", "203.0.113.5"));
        var deniedId = (await denied.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied")).GetProperty("requestId").GetString()!;

        // Only the refusals, newest first.
        var all = await Json(await gateway.Admin.GetAsync("/admin/decisions"));
        var ids = all.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("requestId").GetString()).ToList();
        Assert.Equal([deniedId, limitedId], ids);
        Assert.DoesNotContain("100.64.131.7", all.GetRawText());
        Assert.DoesNotContain("203.0.113.5", all.GetRawText());

        // "Why was I blocked?": by the requestId of the problem+json.
        var one = await Json(await gateway.Admin.GetAsync($"/admin/decisions/{limitedId}"));
        Assert.Equal("login", one.GetProperty("policy").GetString());
        Assert.Equal("auth", one.GetProperty("route").GetString());
        Assert.Equal("block", one.GetProperty("action").GetString());
        Assert.Equal("rate-limits", one.GetProperty("stage").GetString());
        Assert.Equal(["ip-minute"], one.GetProperty("limitsHit").EnumerateArray().Select(l => l.GetString()));
        Assert.Matches("^[0-9a-f]{32}$", one.GetProperty("clientId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", one.GetProperty("accountId").GetString());

        // One client's decisions, by address or account; the gateway computes the HMAC.
        Assert.Equal([limitedId], await RequestIds(gateway, "?ip=100.64.131.7"));
        Assert.Equal([limitedId], await RequestIds(gateway, "?account=alice"));
        Assert.Equal([limitedId], await RequestIds(gateway, "?account=alice&action=block"));
        // The deny list refused bob's request before its body was read: no account on that record.
        Assert.Empty(await RequestIds(gateway, "?account=bob"));
        Assert.Equal([limitedId], await RequestIds(gateway, "?reason=ip-minute"));
        Assert.Empty(await RequestIds(gateway, "?action=challenge"));
        Assert.Empty(await RequestIds(gateway, "?policy=contact-form"));
        Assert.Empty(await RequestIds(gateway, "?since=2999-01-01T00:00:00Z"));

        // Paged, one at a time.
        var first = await Json(await gateway.Admin.GetAsync("/admin/decisions?limit=1"));
        var next = first.GetProperty("next").GetString();
        Assert.NotNull(next);
        var second = await Json(await gateway.Admin.GetAsync($"/admin/decisions?limit=1&before={next}"));
        Assert.Equal(limitedId, second.GetProperty("decisions")[0].GetProperty("requestId").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("/admin/decisions?limit=0")]
    [InlineData("/admin/decisions?limit=501")]
    [InlineData("/admin/decisions?limit=ten")]
    [InlineData("/admin/decisions?since=yesterday")]
    [InlineData("/admin/decisions?before=abc")]
    [InlineData("/admin/decisions?action=maybe")]
    [InlineData("/admin/decisions?ip=not-an-ip")]
    [InlineData("/admin/decisions?client=1.2.3.4")]
    [InlineData("/admin/decisions?policy=nope")]
    [InlineData("/admin/decisions?reason=Rate%20Limited")]
    [InlineData("/admin/decisions?reason=rate-limted:ip-minute")]
    public async Task BadQueries_Are400InvalidRequest(string path)
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await GatewayServer.StartAsync(Config(upstream.Url));

        await (await gateway.Admin.GetAsync(path)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task UnknownPolicy_Is400NamingTheKnownOnes()
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await GatewayServer.StartAsync(Config(upstream.Url));

        var problem = await (await gateway.Admin.GetAsync("/admin/decisions?policy=nope")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        Assert.Contains("policy 'nope' is not a configured policy; known: ", problem.GetProperty("detail").GetString());
        Assert.Contains("login", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await gateway.Admin.GetAsync("/admin/decisions?policy=LOGIN")).StatusCode);

        // A reason the gateway never records is named as such, with what it does record.
        var reason = await (await gateway.Admin.GetAsync("/admin/decisions?reason=ip-mnute")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        Assert.Contains("reason 'ip-mnute' is not one the gateway records; known: ", reason.GetProperty("detail").GetString());
        Assert.Contains("rate-limited:<a limit's name>", reason.GetProperty("detail").GetString());
        foreach (var known in new[] { "deny-list", "rate-limited:ip-minute", "captcha-token-invalid", "risk-score", "no-rule-matched", "form-token-too-fast" })
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Admin.GetAsync("/admin/decisions?reason=" + known)).StatusCode);
        }
    }

    [Fact]
    public async Task UnknownRequestId_Is404_AndTheApiKeyIsRequired()
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await GatewayServer.StartAsync(Config(upstream.Url));

        await (await gateway.Admin.GetAsync("/admin/decisions/0HNNOPE:00000001")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await gateway.Management.GetAsync("/admin/decisions")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task OnRedis_ADecisionMadeByOneInstance_IsFoundOnTheOther()
    {
        var upstream = upstreams.SampleApi;
        var prefix = "d" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await GatewayServer.StartAsync(Config(upstream.Url), Store(true, prefix));
        await using var second = await GatewayServer.StartAsync(Config(upstream.Url), Store(true, prefix));

        var denied = await first.Public.SendAsync(Login("bob", "hunter2-hunter2", "203.0.113.9"));
        var requestId = (await denied.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied")).GetProperty("requestId").GetString()!;

        // The record is written without waiting on Redis; it is there a moment later.
        await EventuallyAsync(async () => (await second.Admin.GetAsync($"/admin/decisions/{requestId}")).StatusCode == HttpStatusCode.OK, "the record on the other instance");
        var keys = redis.Connection.GetServers()[0].Keys(pattern: prefix + ":{decisions*").ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(redis.Connection.GetDatabase().KeyTimeToLive(key) is { } ttl && ttl <= TimeSpan.FromDays(7)));
    }

    private static async Task<List<string?>> RequestIds(GatewayServer gateway, string query)
    {
        var page = await Json(await gateway.Admin.GetAsync("/admin/decisions" + query));
        return page.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("requestId").GetString()).ToList();
    }
}
