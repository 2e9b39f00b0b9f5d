using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// docs/privacy.md's retention table, checked: traffic that creates every kind of Redis record, then a SCAN of the
// prefix: every key has a TTL, within its kind's bound, and no key is of a kind the table does not list.
[Collection(RedisCollection.Name)]
public class RetentionTests(RedisServer redis, Upstreams upstreams)
{
    [Fact]
    public async Task EveryRedisKey_HasATtlWithinItsKindsBound()
    {
        var prefix = "k" + Guid.NewGuid().ToString("N")[..12];
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        config["FraudGateway"]!["Policies"]!["login"]!["LoginOutcome"] = new JsonObject { ["FailureStatusCodes"] = new JsonArray(401) };
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 3, ["WindowSeconds"] = 60, ["PenaltySeconds"] = 120 },
            new JsonObject { ["Name"] = "route-bucket", ["Key"] = "route", ["Limit"] = 100, ["WindowSeconds"] = 60, ["Algorithm"] = "TokenBucket" },
            new JsonObject { ["Name"] = "failures", ["Key"] = "account+ip", ["Limit"] = 10, ["WindowSeconds"] = 3600, ["Counts"] = "Failures" },
            new JsonObject { ["Name"] = "accounts-per-ip", ["Key"] = "ip", ["Limit"] = 20, ["WindowSeconds"] = 3600, ["Counts"] = "DistinctAccounts" });
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["TtlSeconds"] = 3600 };
        config["FraudGateway"]!["Management"]!["AuditTtlSeconds"] = 7200;
        await using var gateway = await GatewayServer.StartAsync(config, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["FraudGateway:Store:KeyPrefix"] = prefix,
            ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
        }));

        // Limits, a penalty, failures, distinct accounts, refusals (decisions), a ban, a label, audit entries, a claim.
        for (var i = 0; i < 5; i++)
        {
            await gateway.Public.SendAsync(Login($"user{i}", "wrong", "100.64.171.1"));
        }

        Assert.Equal(HttpStatusCode.Created, (await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "100.64.171.9", ttlSeconds = 600, reason = "retention" })).StatusCode);
        var refused = await gateway.Public.SendAsync(Login("alice", "x", "100.64.171.9"));
        var requestId = (await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned")).GetProperty("requestId").GetString();
        await LabelThroughStoreAsync(gateway, requestId!);
        Assert.True(await gateway.Services.GetRequiredService<IGatewayStore>().TryClaimOnceAsync("token-hmac", "request", TimeSpan.FromSeconds(360), default));

        // The audit write does not wait on Redis (the label was written through the store and awaited).
        await EventuallyAsync(async () => (await gateway.Admin.GetStringAsync("/admin/audit")).Contains("/admin/bans", StringComparison.Ordinal), "the audit entry");

        var server = redis.Connection.GetServers()[0];
        var db = redis.Connection.GetDatabase();
        var keys = server.Keys(pattern: prefix + ":*", pageSize: 1000).Select(k => (string)k!).ToList();
        var kinds = new HashSet<string>();
        foreach (var key in keys)
        {
            var (kind, bound) = Kind(key[(prefix.Length + 1)..]);
            kinds.Add(kind);
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is not null, $"{key} ({kind}) has no TTL");
            Assert.True(ttl <= bound, $"{key} ({kind}) lives {ttl}, more than {bound}");
        }

        Assert.Superset(new HashSet<string> { "limit window", "token bucket", "penalty", "distinct counts", "ban", "ban index", "claim", "decisions", "decision policies", "label", "audit" }, kinds);
        Assert.Equal(11, kinds.Count);
    }

    // The kind of a key (without its prefix) and the longest lifetime docs/privacy.md allows it in this test.
    private static (string Kind, TimeSpan Bound) Kind(string key) => key switch
    {
        _ when key.StartsWith("{audit}:stream", StringComparison.Ordinal) => ("audit", TimeSpan.FromSeconds(7200)),
        _ when key.StartsWith("{decisions}:label:", StringComparison.Ordinal) => ("label", TimeSpan.FromSeconds(3600)),
        _ when key.StartsWith("{decisions}:policies", StringComparison.Ordinal) => ("decision policies", TimeSpan.FromSeconds(3600)),
        _ when key.StartsWith("{decisions:", StringComparison.Ordinal) => ("decisions", TimeSpan.FromSeconds(3600)),
        _ when key.StartsWith("{bans}:index", StringComparison.Ordinal) => ("ban index", TimeSpan.FromSeconds(600)),
        _ when key.EndsWith("}:ban", StringComparison.Ordinal) => ("ban", TimeSpan.FromSeconds(600)),
        _ when key.EndsWith("}:claim", StringComparison.Ordinal) => ("claim", TimeSpan.FromSeconds(360)),
        _ when key.Contains(":rl:", StringComparison.Ordinal) && key.EndsWith(":p", StringComparison.Ordinal) => ("penalty", TimeSpan.FromSeconds(120)),
        _ when key.Contains(":rl:", StringComparison.Ordinal) && (key.EndsWith(":h0", StringComparison.Ordinal) || key.EndsWith(":h1", StringComparison.Ordinal)) => ("distinct counts", TimeSpan.FromSeconds(7200)),
        _ when System.Text.RegularExpressions.Regex.IsMatch(key, @":rl:[^:]+:[^:]+:t(f|da|di)?(:[0-9a-f]+)?$") => ("token bucket", TimeSpan.FromSeconds(61)),
        _ when key.Contains(":rl:", StringComparison.Ordinal) => ("limit window", TimeSpan.FromSeconds(7200)),
        _ => throw new Xunit.Sdk.XunitException($"a key of a kind docs/privacy.md does not list: {key}"),
    };
}
