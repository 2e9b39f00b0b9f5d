using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// Subject erasure: real requests create state about an address and an account (limits on each and on both together,
// failures, a distinct count, a ban, decisions, a label, audit entries); DELETE /admin/subjects removes it, and a SCAN
// of the whole key space finds no key that names either HMAC afterwards.
internal static class SubjectErasure
{
    public const string Ip = "100.64.201.9";

    public static JsonObject Config(string upstreamUrl)
    {
        var config = GatewayConfig.Default(upstreamUrl);
        var login = config["FraudGateway"]!["Policies"]!["login"]!;
        login["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        login["LoginOutcome"] = new JsonObject { ["FailureStatusCodes"] = new JsonArray(401) };
        login["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 3, ["WindowSeconds"] = 60 },
            new JsonObject { ["Name"] = "account-failures", ["Key"] = "account", ["Limit"] = 10, ["WindowSeconds"] = 3600, ["Counts"] = "Failures" },
            new JsonObject { ["Name"] = "pair-failures", ["Key"] = "account+ip", ["Limit"] = 10, ["WindowSeconds"] = 3600, ["Counts"] = "Failures" },
            new JsonObject { ["Name"] = "accounts-per-ip", ["Key"] = "ip", ["Limit"] = 20, ["WindowSeconds"] = 3600, ["Counts"] = "DistinctAccounts" });
        return config;
    }

    // Creates state about Ip and the account "Alice" through the public port and the management API; answers the
    // two HMACs (as GET /admin/subjects reports them).
    public static async Task<(string IpId, string AccountId)> CreateStateAsync(GatewayServer gateway)
    {
        var (publicClient, admin) = (gateway.Public, gateway.Admin);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await publicClient.SendAsync(Login("Alice", "wrong", Ip))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/bans", new { subject = Ip, ttlSeconds = 600, reason = "erasure test" })).StatusCode);
        var banned = await publicClient.SendAsync(Login("Alice", "wrong", Ip));
        var requestId = (await banned.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned")).GetProperty("requestId").GetString()!;
        await LabelThroughStoreAsync(gateway, requestId);

        var byIp = await ReportAsync(admin, "ip=" + Ip);
        Assert.Single(byIp.GetProperty("bans").EnumerateArray());
        Assert.Single(byIp.GetProperty("decisions").EnumerateArray());
        var byAccount = await ReportAsync(admin, "account=alice");
        Assert.Single(byAccount.GetProperty("decisions").EnumerateArray());
        return (byIp.GetProperty("id").GetString()!, byAccount.GetProperty("id").GetString()!);
    }

    public static async Task<JsonElement> ReportAsync(HttpClient admin, string query)
    {
        var response = await admin.GetAsync("/admin/subjects?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static async Task<JsonElement> EraseAsync(HttpClient admin, string query)
    {
        var response = await admin.DeleteAsync("/admin/subjects?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.DoesNotContain(Ip, text, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement;
    }

    // Every key on every primary whose name holds the HMAC, and the ban index' members that do.
    public static async Task<List<string>> KeysNamingAsync(IConnectionMultiplexer redis, string prefix, string id)
    {
        var found = new List<string>();
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: prefix + ":*"))
            {
                if (key.ToString().Contains(id, StringComparison.Ordinal))
                {
                    found.Add(key!);
                }
            }
        }

        var index = await redis.GetDatabase().SortedSetRangeByRankAsync(prefix + ":{bans}:index");
        found.AddRange(index.Select(m => m.ToString()).Where(m => m.Contains(id, StringComparison.Ordinal)).Select(m => "ban index member " + m));
        return found;
    }

    // The whole scenario on one gateway; redis is null for the in-memory store.
    public static async Task EraseAddressAndAccountAsync(SampleApiServer upstream, IConnectionMultiplexer? redis, string? connectionString)
    {
        var prefix = "e" + Guid.NewGuid().ToString("N")[..12];
        await using var gateway = await GatewayServer.StartAsync(Config(upstream.Url), connectionString is null ? null : builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = connectionString,
                ["FraudGateway:Store:KeyPrefix"] = prefix,
                ["FraudGateway:Store:OperationTimeoutMs"] = "2000",
            }));

        var (ipId, accountId) = await CreateStateAsync(gateway);
        if (redis is not null)
        {
            // The pair's failure window sits under the account's tag: the address is not its first part.
            var ipKeys = await KeysNamingAsync(redis, prefix, ipId);
            Assert.Contains(ipKeys, k => k.Contains("{a:" + accountId + "}", StringComparison.Ordinal) && k.Contains("pair-failures", StringComparison.Ordinal));
            Assert.Contains(ipKeys, k => k.EndsWith(":ban", StringComparison.Ordinal));
            Assert.Contains(ipKeys, k => k.StartsWith("ban index member", StringComparison.Ordinal));
            Assert.NotEmpty(await KeysNamingAsync(redis, prefix, accountId));
        }

        var erased = await EraseAsync(gateway.Admin, "ip=" + Ip);
        Assert.Equal(ipId, erased.GetProperty("id").GetString());
        Assert.True(erased.GetProperty("storeRecords").GetInt64() >= 4, erased.ToString());
        Assert.Equal(1, erased.GetProperty("decisions").GetInt32());
        Assert.Equal(1, erased.GetProperty("labels").GetInt32());
        Assert.True(erased.GetProperty("auditEntries").GetInt32() >= 2, erased.ToString());
        Assert.Contains("HyperLogLog", erased.GetProperty("distinctCounts").GetString(), StringComparison.Ordinal);

        var after = await ReportAsync(gateway.Admin, "ip=" + Ip);
        Assert.Empty(after.GetProperty("bans").EnumerateArray());
        Assert.Empty(after.GetProperty("decisions").EnumerateArray());
        Assert.Equal(2, Assert.Single(after.GetProperty("limits").EnumerateArray()).GetProperty("remainingAfterNext").GetInt64());
        // The trail keeps the erasure itself (by HMAC) as the record that it was done; nothing from before it.
        Assert.All(after.GetProperty("audit").EnumerateArray(), e => Assert.Equal("DELETE /admin/subjects", e.GetProperty("action").GetString()));

        var byAccount = await EraseAsync(gateway.Admin, "account=ALICE");
        Assert.Equal(accountId, byAccount.GetProperty("id").GetString());
        // The decision was about both; it went with the address.
        Assert.True(byAccount.GetProperty("decisions").GetInt32() == 0, await gateway.Admin.GetStringAsync("/admin/decisions"));
        Assert.True(byAccount.GetProperty("storeRecords").GetInt64() >= 1, byAccount.ToString());
        var accountAfter = await ReportAsync(gateway.Admin, "account=alice");
        Assert.Equal(9, Assert.Single(accountAfter.GetProperty("limits").EnumerateArray()).GetProperty("remainingAfterNext").GetInt64());

        if (redis is not null)
        {
            Assert.Empty(await KeysNamingAsync(redis, prefix, ipId));
            Assert.Empty(await KeysNamingAsync(redis, prefix, accountId));
        }

        // Erasing again finds nothing more.
        Assert.Equal(0, (await EraseAsync(gateway.Admin, "ip=" + Ip)).GetProperty("storeRecords").GetInt64());

        // The address is new again: no ban, its limit from the start.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(Login("Alice", "wrong", Ip))).StatusCode);
    }
}

[Collection(RedisCollection.Name)]
public class SubjectErasureTests(RedisServer redis, Upstreams upstreams)
{
    [Fact]
    public Task Erase_InMemory_RemovesEverything() => SubjectErasure.EraseAddressAndAccountAsync(upstreams.SampleApi, null, null);

    [Fact]
    public Task Erase_OnRedis_LeavesNoKeyNamingTheSubject() => SubjectErasure.EraseAddressAndAccountAsync(upstreams.SampleApi, redis.Connection, redis.ConnectionString);

    // In memory a distinct count holds its members exactly, so an erased account stops counting at once.
    [Fact]
    public async Task Erase_InMemory_RemovesTheAccountFromDistinctCounts()
    {
        var upstream = upstreams.SampleApi;
        var config = SubjectErasure.Config(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "accounts-per-ip", ["Key"] = "ip", ["Limit"] = 2, ["WindowSeconds"] = 3600, ["Counts"] = "DistinctAccounts" });
        await using var gateway = await GatewayServer.StartAsync(config);
        const string ip = "100.64.202.1";

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(Login("alice", "wrong", ip))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(Login("bob", "wrong", ip))).StatusCode);
        await SubjectErasure.EraseAsync(gateway.Admin, "account=alice");

        // carol is the second distinct account now, not the third.
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(Login("carol", "wrong", ip))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await gateway.Public.SendAsync(Login("dave", "wrong", ip))).StatusCode);
    }

    // Two processes on one Redis: the second remembers the address as over its limit (its over-limit cache); an
    // erasure made through the first reaches it, so its next request is treated as new.
    [Fact]
    public async Task Erase_OnOneInstance_IsForgottenByTheOther()
    {
        var upstream = upstreams.SampleApi;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.Endpoint,
            ["FraudGateway__Store__KeyPrefix"] = "e" + Guid.NewGuid().ToString("N")[..12],
        };
        var config = SubjectErasure.Config(upstream.Url);
        await using var first = await GatewayProcess.StartAsync(config, environment);
        await using var second = await GatewayProcess.StartAsync(config, environment);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await second.Public.SendAsync(Login("alice", "correct-horse-battery", SubjectErasure.Ip))).StatusCode);
        }

        await (await second.Public.SendAsync(Login("alice", "correct-horse-battery", SubjectErasure.Ip))).AssertProblemAsync(HttpStatusCode.TooManyRequests, "quota-exceeded");

        await SubjectErasure.EraseAsync(first.Admin, "ip=" + SubjectErasure.Ip);

        await EventuallyAsync(async () => (await second.Public.SendAsync(Login("alice", "correct-horse-battery", SubjectErasure.Ip))).StatusCode == HttpStatusCode.OK,
            "the second instance forgetting the address");
        var report = await SubjectErasure.ReportAsync(first.Admin, "ip=" + SubjectErasure.Ip);
        Assert.Equal(1, Assert.Single(report.GetProperty("limits").EnumerateArray()).GetProperty("remainingAfterNext").GetInt64());
    }
}

[Collection(RedisClusterCollection.Name)]
public class SubjectErasureClusterTests(RedisClusterServer cluster, Upstreams upstreams)
{
    [Fact]
    public Task Erase_OnRedisCluster_LeavesNoKeyNamingTheSubject() => SubjectErasure.EraseAddressAndAccountAsync(upstreams.SampleApi, cluster.Connection, cluster.ConnectionString);
}
