using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.State;

// A rolling restart that rotates the HMAC key: one instance still on the old key, one already on the new key with the
// old one as previous, both on one Redis. Bans and counts made under the old key hold on the new instance, a lift on
// the new instance lifts both, and a previous key past its end is no longer tried.
[Collection(RedisCollection.Name)]
public class KeyRotationTests(RedisServer redis, Upstreams upstreams)
{
    private const string OldKey = "rotation-old-hmac-key-0123456789abcdef";
    private const string NewKey = "rotation-new-hmac-key-0123456789abcdef";

    private Dictionary<string, string> Environment(string prefix, string key, string keyId, DateTimeOffset? previousUntil = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.Endpoint,
            ["FraudGateway__Store__KeyPrefix"] = prefix,
            ["FraudGateway__Privacy__HmacKey"] = key,
            ["FraudGateway__Privacy__HmacKeyId"] = keyId,
        };
        if (previousUntil is { } until)
        {
            environment["FraudGateway__Privacy__PreviousHmacKeys__0__Id"] = "2026-06";
            environment["FraudGateway__Privacy__PreviousHmacKeys__0__Key"] = OldKey;
            environment["FraudGateway__Privacy__PreviousHmacKeys__0__ValidUntil"] = until.ToString("O", CultureInfo.InvariantCulture);
        }

        return environment;
    }

    private static JsonObject Config(string upstreamUrl)
    {
        var config = GatewayConfig.Default(upstreamUrl);
        config["FraudGateway"]!["Policies"]!["login"]!["BodyInspection"] = new JsonObject { ["AccountField"] = "username" };
        config["FraudGateway"]!["Policies"]!["login"]!["RateLimits"] = new JsonArray(
            new JsonObject { ["Name"] = "ip-minute", ["Key"] = "ip", ["Limit"] = 5, ["WindowSeconds"] = 60 },
            new JsonObject { ["Name"] = "account-minute", ["Key"] = "account+ip", ["Limit"] = 100, ["WindowSeconds"] = 60 });
        return config;
    }

    private static async Task<HttpStatusCode> LoginAsync(GatewayProcess gateway, string ip)
    {
        using var response = await gateway.Public.SendAsync(Login("alice", "correct-horse-battery", ip));
        return response.StatusCode;
    }

    [Fact]
    public async Task RollingRestart_ToANewKey_KeepsBansAndCounts_UntilThePreviousKeyEnds()
    {
        var upstream = upstreams.SampleApi;
        var prefix = "k" + Guid.NewGuid().ToString("N")[..12];
        var config = Config(upstream.Url);
        var now = DateTimeOffset.UtcNow;
        await using var old = await GatewayProcess.StartAsync(config, Environment(prefix, OldKey, "2026-06"));
        await using var rotated = await GatewayProcess.StartAsync(config, Environment(prefix, NewKey, "2026-12", now.AddDays(1)));
        await using var ended = await GatewayProcess.StartAsync(config, Environment(prefix, NewKey, "2026-12", now.AddHours(-1)));

        // Counts: three through the old instance, then the rotated one lets through only what is left of the five.
        const string counted = "100.64.210.1";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await LoginAsync(old, counted));
        }

        Assert.Equal(HttpStatusCode.OK, await LoginAsync(rotated, counted));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(rotated, counted));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(rotated, counted));
        // The instance whose previous key has ended starts that client afresh under the new key (two counted there).
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(ended, counted));

        // Bans: made on the old instance under the old key, enforced by the rotated one, not by the ended one.
        const string banned = "100.64.210.2";
        Assert.Equal(HttpStatusCode.Created, (await old.Admin.PostAsJsonAsync("/admin/bans", new { subject = banned, ttlSeconds = 3600, reason = "rotation" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(ended, banned));
        await (await rotated.Public.SendAsync(Login("alice", "correct-horse-battery", banned))).AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");
        // The rotated instance wrote the ban again under the new key (in the background; watched through subject
        // access, which counts nothing): subject access finds both records and names the previous key's HMAC, and the
        // ban now holds after the old key's end too.
        var report = default(JsonElement);
        await EventuallyAsync(async () =>
        {
            report = JsonDocument.Parse(await rotated.Admin.GetStringAsync("/admin/subjects?ip=" + banned)).RootElement;
            return report.GetProperty("bans").GetArrayLength() == 2;
        }, "the ban carried over to the new key");
        Assert.Single(report.GetProperty("previousKeyIds").EnumerateArray());
        await (await ended.Public.SendAsync(Login("alice", "correct-horse-battery", banned))).AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");

        // A lift on the rotated instance lifts the ban under both keys: every instance lets the client in.
        Assert.Equal(HttpStatusCode.NoContent, (await rotated.Admin.DeleteAsync("/admin/bans?subject=" + banned)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(old, banned));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(rotated, banned));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(ended, banned));

        // Erasure on the rotated instance removes the records under both keys.
        var before = JsonDocument.Parse(await rotated.Admin.GetStringAsync("/admin/subjects?ip=" + counted)).RootElement;
        var ids = new[] { before.GetProperty("id").GetString()!, before.GetProperty("previousKeyIds")[0].GetString()! };
        Assert.All(ids, id => Assert.NotEmpty(redis.Connection.GetServers()[0].Keys(pattern: $"{prefix}:*{id}*")));
        var erased = JsonDocument.Parse(await (await rotated.Admin.DeleteAsync("/admin/subjects?ip=" + counted)).Content.ReadAsStringAsync()).RootElement;
        Assert.True(erased.GetProperty("storeRecords").GetInt64() >= 2, erased.ToString());
        Assert.All(ids, id => Assert.Empty(redis.Connection.GetServers()[0].Keys(pattern: $"{prefix}:*{id}*")));
    }
}
