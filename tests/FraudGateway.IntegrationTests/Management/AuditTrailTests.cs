using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// Every management call that changes something is in GET /admin/audit: action, subject (HMAC tokens only), API key
// fingerprint, status; reads and calls without a valid key are not.
[Collection(RedisCollection.Name)]
public class AuditTrailTests(RedisServer redis, Upstreams upstreams)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManagementChanges_AreInTheAuditTrail_WithoutRawIdentifiers(bool useRedis)
    {
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 2, ["WindowSeconds"] = 60 });
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayServer.StartAsync(config, builder =>
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
            if (useRedis)
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Redis"] = redis.ConnectionString,
                    ["FraudGateway:Store:KeyPrefix"] = "a" + Guid.NewGuid().ToString("N")[..12],
                });
            }
        });

        Assert.Equal(HttpStatusCode.Created, (await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "100.64.141.7", ttlSeconds = 600, reason = "test" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Admin.DeleteAsync("/admin/bans?subject=100.64.141.7")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Admin.DeleteAsync("/admin/limits?policy=login&limit=ip-minute&ip=100.64.141.8")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "100.64.141.9", ttlSeconds = 0 })).StatusCode);
        // Not audited: a read, and a change without the key.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Admin.GetAsync("/admin/bans")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Management.DeleteAsync("/admin/bans?subject=100.64.141.7")).StatusCode);

        var response = await gateway.Admin.GetAsync("/admin/audit");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = JsonDocument.Parse(text).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["POST /admin/bans", "DELETE /admin/limits", "DELETE /admin/bans", "POST /admin/bans"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([400, 204, 204, 201], entries.Select(e => e.GetProperty("status").GetInt32()));
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{16}$", e.GetProperty("keyId").GetString()));
        Assert.Equal(entries[2].GetProperty("subject").GetString(), entries[3].GetProperty("subject").GetString());
        Assert.Contains("limit=ip-minute", entries[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("100.64.141", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayConfig.ApiKey, text, StringComparison.Ordinal);

        var audited = logs.Entries.Where(e => e.Category.EndsWith(".AuditTrail", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, audited.Count);
        Assert.All(audited, e => Assert.DoesNotContain("100.64.141", e.Message, StringComparison.Ordinal));
        await (await gateway.Admin.GetAsync("/admin/audit?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        await (await gateway.Admin.GetAsync("/admin/audit?since=soon")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
    }
}
