using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// Subject access: GET /admin/subjects finds a subject's ban, limits, decisions (with labels) and audit entries by
// the HMAC the gateway computes, shows no raw identifier, and is itself audited.
[Collection(RedisCollection.Name)]
public class SubjectAccessTests(RedisServer redis, Upstreams upstreams)
{
    private Action<WebApplicationBuilder>? Store(bool useRedis) => useRedis
        ? builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = "s" + Guid.NewGuid().ToString("N")[..12],
            ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
        })
        : null;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Subject_ByAddressAndByAccount_ShowsBanLimitsDecisionsAndAudit(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        var login = config["FraudGateway"]!["Policies"]!["login"]!;
        login["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        login["LoginOutcome"] = new JsonObject { ["FailureStatusCodes"] = new JsonArray(401) };
        login["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 5, ["WindowSeconds"] = 60 },
            new JsonObject { ["Name"] = "account-failures", ["Key"] = "account", ["Limit"] = 10, ["WindowSeconds"] = 3600, ["Counts"] = "Failures" },
            new JsonObject { ["Name"] = "accounts-per-ip", ["Key"] = "ip", ["Limit"] = 20, ["WindowSeconds"] = 3600, ["Counts"] = "DistinctAccounts" });
        await using var gateway = await GatewayServer.StartAsync(config, Store(useRedis));
        const string ip = "100.64.181.7";

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(Login("Alice", "wrong", ip))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = ip, ttlSeconds = 600, reason = "subject test" })).StatusCode);
        var banned = await gateway.Public.SendAsync(Login("Alice", "wrong", ip));
        var requestId = (await banned.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned")).GetProperty("requestId").GetString()!;
        await LabelThroughStoreAsync(gateway, requestId!);

        var byAddress = await gateway.Admin.GetAsync($"/admin/subjects?ip={ip}");
        var text = await byAddress.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, byAddress.StatusCode);
        var report = JsonDocument.Parse(text).RootElement;
        Assert.Equal("ip", report.GetProperty("kind").GetString());
        Assert.Single(report.GetProperty("bans").EnumerateArray());
        var limit = Assert.Single(report.GetProperty("limits").EnumerateArray());
        Assert.Equal("ip-minute", limit.GetProperty("limit").GetString());
        Assert.InRange(limit.GetProperty("remainingAfterNext").GetInt64(), 0, 1);
        Assert.Contains("HyperLogLog", report.GetProperty("distinctCounts").GetString(), StringComparison.Ordinal);
        var decision = Assert.Single(report.GetProperty("decisions").EnumerateArray());
        Assert.Equal(requestId, decision.GetProperty("requestId").GetString());
        Assert.Equal("fraud", decision.GetProperty("label").GetProperty("label").GetString());
        Assert.Contains(report.GetProperty("audit").EnumerateArray(), e => e.GetProperty("action").GetString() == "POST /admin/bans");
        Assert.DoesNotContain(ip, text, StringComparison.Ordinal);

        var byAccount = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/subjects?account=alice")).RootElement;
        var failures = Assert.Single(byAccount.GetProperty("limits").EnumerateArray());
        Assert.Equal("account-failures", failures.GetProperty("limit").GetString());
        Assert.Equal(6, failures.GetProperty("remainingAfterNext").GetInt64());
        Assert.Equal(requestId, Assert.Single(byAccount.GetProperty("decisions").EnumerateArray()).GetProperty("requestId").GetString());
        Assert.Empty(byAccount.GetProperty("bans").EnumerateArray());

        // Looking at a subject is audited too (by its HMAC, not the address).
        var audit = await gateway.Admin.GetStringAsync("/admin/audit");
        Assert.Contains("GET /admin/subjects", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(ip, audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/subjects")]
    [InlineData("/admin/subjects?ip=100.64.1.1&account=alice")]
    [InlineData("/admin/subjects?ip=100.64.1.300")]
    [InlineData("/admin/subjects?prefix=100.64.0.0/16")]
    [InlineData("/admin/subjects?account=%20")]
    [InlineData("/admin/subjects?ip=100.64.1.1&user=x")]
    public async Task BadSubjects_Are400(string path)
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await GatewayServer.StartAsync(GatewayConfig.Default(upstream.Url));

        await (await gateway.Admin.GetAsync(path)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Admin.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Management.GetAsync("/admin/subjects?ip=100.64.1.1")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await gateway.Management.DeleteAsync("/admin/subjects?ip=100.64.1.1")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
