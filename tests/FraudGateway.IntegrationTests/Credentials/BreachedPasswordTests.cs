using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Credentials;

// Leaked-credential detection through the real gateway, with the shipped demo corpus (zxcvbn's 30,000 most common
// passwords): the upstream hears of a breached password in Exposed-Credential-Check, which no client can send itself;
// nothing of the password reaches a log line, the decision store or Redis.
[Collection(RedisCollection.Name)]
public class BreachedPasswordTests(RedisServer redis, Upstreams upstreams)
{
    private const string Breached = "123456";
    private const string Clean = "correct-horse-battery";

    private static JsonObject EchoLoginConfig(string upstream)
    {
        var config = GatewayConfig.Default(upstream);
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["Record"] = "All" };
        config["FraudGateway"]!["Policies"]!["echo-login"] = new JsonObject
        {
            ["BodyInspection"] = new JsonObject { ["AccountField"] = "username", ["PasswordField"] = "password" },
        };
        config["ReverseProxy"]!["Routes"]!["echo-login"] = GatewayConfig.Route("/echo/login", "echo-login");
        config["ReverseProxy"]!["Routes"]!["echo-open"] = GatewayConfig.Route("/echo/open", null);
        return config;
    }

    private static HttpRequestMessage Post(string path, string json, string? exposedHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (exposedHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Exposed-Credential-Check", exposedHeader);
        }

        return request;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Looks for the corpus's SHA-1 form of the password.")]
    public async Task The_upstream_hears_of_a_breached_password_and_nothing_of_it_is_kept(bool useRedis)
    {
        var echo = upstreams.Echo;
        var logs = new CapturingLoggerProvider();
        var prefix = "b" + Guid.NewGuid().ToString("N")[..12];
        await using var gateway = await GatewayServer.StartAsync(EchoLoginConfig(echo.Url), builder =>
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
            if (useRedis)
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Redis"] = redis.ConnectionString,
                    ["FraudGateway:Store:KeyPrefix"] = prefix,
                });
            }
        });

        var sent = new (string Json, string? ClientHeader, string? Expected)[]
        {
            ($$"""{"username":"alice","password":"{{Breached}}"}""", null, "1"),
            ($$"""{"username":"alice","password":"{{Clean}}"}""", null, null),
            // Forged by the client: removed, and not re-added for a clean password.
            ($$"""{"username":"alice","password":"{{Clean}}"}""", "1", null),
            // Not a string, or too long to check: unknown, forwarded without the header, never an error.
            ("""{"username":"alice","password":123456}""", null, null),
            ("""{"username":"alice","password":{"value":"123456"}}""", null, null),
            ($$"""{"username":"alice","password":"{{new string('x', 4000)}}"}""", null, null),
        };
        var before = echo.ExposedCredentialHeaders.Count;
        foreach (var (json, clientHeader, _) in sent)
        {
            using var response = await gateway.Public.SendAsync(Post("/echo/login", json, clientHeader));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // An unprotected route: the client's header is removed there too.
        using (var open = await gateway.Public.SendAsync(Post("/echo/open", "{}", "1")))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        Assert.Equal(sent.Select(s => s.Expected).Append(null), echo.ExposedCredentialHeaders.Skip(before).ToArray());

        var records = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/decisions?policy=echo-login")).RootElement.GetProperty("decisions")
            .EnumerateArray().Reverse().Select(d => d.TryGetProperty("breachedPassword", out var b) ? b.GetBoolean() : (bool?)null).ToList();
        Assert.Equal(new bool?[] { true, false, false, null, null, null }, records);

        // The password, its SHA-1 (as the corpus writes it) and its bytes: in no log line, no record, no Redis key or value.
        var sha1 = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(Breached)));
        var traces = new[] { "\"" + Breached + "\"", sha1, sha1.ToLowerInvariant(), Clean };
        var everything = new StringBuilder();
        foreach (var entry in logs.Entries)
        {
            everything.AppendLine(entry.Message);
        }

        everything.AppendLine(await gateway.Admin.GetStringAsync("/admin/decisions?policy=echo-login"));
        if (useRedis)
        {
            var server = redis.Connection.GetServers()[0];
            var db = redis.Connection.GetDatabase();
            var keys = 0;
            foreach (var key in server.Keys(pattern: prefix + "*"))
            {
                keys++;
                everything.AppendLine(key.ToString());
                var type = await db.KeyTypeAsync(key);
                everything.AppendLine(type switch
                {
                    RedisType.String => (string?)await db.StringGetAsync(key),
                    RedisType.Hash => string.Join(",", (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}")),
                    RedisType.Stream => string.Join(",", (await db.StreamRangeAsync(key)).SelectMany(e => e.Values).Select(v => $"{v.Name}={v.Value}")),
                    RedisType.SortedSet => string.Join(",", await db.SortedSetRangeByRankAsync(key)),
                    _ => "",
                });
            }

            Assert.True(keys > 0, "the Redis store holds this test's records");
        }

        var text = everything.ToString();
        Assert.Contains("\"breachedPassword\":true", text, StringComparison.Ordinal);
        Assert.All(traces, trace => Assert.DoesNotContain(trace, text, StringComparison.Ordinal));
    }

    // The shipped login policy: a breached password from a device that is not trusted is asked for a proof of work
    // (one signal: a challenge, never a block); a person whose password is not breached sees no change.
    [Fact]
    public async Task On_the_shipped_login_policy_a_breached_password_is_challenged_and_a_clean_one_is_not()
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await GatewayServer.StartAsync(GatewayConfig.Shipped(upstream.Url));

        using var breached = await gateway.Public.SendAsync(BrowserLogin("alice", Breached, "100.64.201.1"));
        await breached.AssertProblemAsync(HttpStatusCode.Forbidden, "captcha-required");
        using var clean = await gateway.Public.SendAsync(BrowserLogin("alice", Clean, "100.64.201.2"));
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);

        // The site-wide detector's aggregate, as the second request saw the route's window: one attempt, breached.
        var route = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/defense")).RootElement.GetProperty("routes")[0];
        Assert.Equal(1, route.GetProperty("attempts").GetInt64());
        Assert.Equal(1, route.GetProperty("breached").GetInt64());
        Assert.Equal(1.0, route.GetProperty("breachedShare").GetDouble());
    }
}
