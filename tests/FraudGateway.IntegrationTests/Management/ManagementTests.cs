using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

public class ManagementTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayServer Gateway => fixture.Gateway;

    [Fact]
    public async Task Health_OnManagementPort_LiveAndReady()
    {
        var live = await Gateway.Management.GetAsync("/healthz");
        var ready = await Gateway.Management.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("in-memory", await ready.Content.ReadAsStringAsync());
    }

    // The container HEALTHCHECK's probe (FraudGateway.dll healthcheck <url>): 0 for a live gateway, 1 otherwise.
    [Fact]
    public void HealthProbe_ExitsZeroForALiveGateway_AndOneWhereNothingAnswers()
    {
        Assert.Equal(0, HealthProbe.Run(Gateway.ManagementUrl + "/healthz"));
        Assert.Equal(1, HealthProbe.Run(Gateway.ManagementUrl + "/no-such-path"));
        Assert.Equal(1, HealthProbe.Run($"http://127.0.0.1:{FreePort.Next()}/healthz"));
    }

    [Fact]
    public async Task Ready_ReportsTheStoreAndTheLiveModelOfEachPolicyThatScores()
    {
        var upstream = fixture.Upstream;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["Scoring"] = new System.Text.Json.Nodes.JsonObject { ["Mode"] = "Shadow" };
        await using var gateway = await GatewayServer.StartAsync(config);

        var ready = System.Text.Json.JsonDocument.Parse(await gateway.Management.GetStringAsync("/readyz")).RootElement;

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("in-memory", ready.GetProperty("store").GetString());
        var models = ready.GetProperty("models");
        Assert.StartsWith("fraudgateway@", models.GetProperty("login").GetString(), StringComparison.Ordinal);
        Assert.False(models.TryGetProperty("contact-form", out _));
    }

    [Fact]
    public async Task OpenApi_DescribesEveryManagementEndpoint_ItsProblemTypesAndTheKey()
    {
        var document = System.Text.Json.JsonDocument.Parse(await Gateway.Management.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "/healthz", "/readyz", "/admin/bans", "/admin/bans/lookup", "/admin/bans/{id}", "/admin/limits", "/admin/model", "/admin/decisions", "/admin/decisions/{requestId}", "/admin/decisions/{requestId}/label", "/admin/training-export", "/admin/subjects", "/admin/audit" })
        {
            Assert.Contains(path, paths);
        }

        Assert.DoesNotContain(paths, p => p.StartsWith("/api/", StringComparison.Ordinal) || p.StartsWith("/fraudgateway", StringComparison.Ordinal));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        var addBan = document.GetProperty("paths").GetProperty("/admin/bans").GetProperty("post");
        Assert.Equal("ApiKey", addBan.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Contains("urn:fraudgateway:problem:invalid-request", addBan.GetProperty("responses").GetProperty("400").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("urn:fraudgateway:problem:unauthorized", addBan.GetProperty("responses").GetProperty("401").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(document.GetProperty("paths").GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
        var subjects = document.GetProperty("paths").GetProperty("/admin/subjects");
        Assert.True(subjects.TryGetProperty("get", out _) && subjects.TryGetProperty("delete", out _), "subject access and erasure");

        await (await Gateway.Public.GetAsync("/openapi/v1.json")).AssertProblemAsync(HttpStatusCode.NotFound, "route-not-found");
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/admin/bans")]
    public async Task ManagementEndpoints_OnPublicPort_AreNotThere(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", GatewayConfig.ApiKey);
        // Even with a Host header naming the management port.
        request.Headers.Host = new Uri(Gateway.ManagementUrl).Authority;

        var response = await Gateway.Public.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "route-not-found");
    }

    [Fact]
    public async Task ProxiedRoutes_OnManagementPort_AreNotThere()
    {
        var response = await Gateway.Management.GetAsync("/api/ping");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "route-not-found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-wrong-key-wrong")]
    [InlineData("")]
    public async Task Admin_WithoutTheRightKey_Gets401(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/bans");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        }

        var response = await Gateway.Management.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Admin_BearerKey_IsAccepted()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/bans");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayConfig.ApiKey);

        var response = await Gateway.Management.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ban_Lifecycle_BlocksThenListsThenLifts()
    {
        const string client = "100.64.10.1";
        Assert.Equal(HttpStatusCode.OK, (await Gateway.Public.SendAsync(Login("alice", "correct-horse-battery", client))).StatusCode);

        var added = await Gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = client, ttlSeconds = 600, reason = "credential stuffing" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var blocked = await Gateway.Public.SendAsync(Login("alice", "correct-horse-battery", client));
        await blocked.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");

        var list = await Gateway.Admin.GetStringAsync("/admin/bans");
        Assert.Contains(id, list);
        Assert.Contains("credential stuffing", list);
        Assert.DoesNotContain(client, list);

        var lookup = await Gateway.Admin.GetAsync($"/admin/bans/lookup?subject={client}");
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);

        var removed = await Gateway.Admin.DeleteAsync($"/admin/bans/{id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Gateway.Public.SendAsync(Login("alice", "correct-horse-battery", client))).StatusCode);

        var again = await Gateway.Admin.DeleteAsync($"/admin/bans?subject={client}");
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task PrefixBan_BlocksNeighboursInTheSameSlash64()
    {
        var added = await Gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "2001:db8:77:1::/64", ttlSeconds = 600 });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var neighbour = await Gateway.Public.SendAsync(Login("alice", "x", "2001:db8:77:1:dead:beef:0:1"));
        var outside = await Gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "2001:db8:77:2::1"));

        await neighbour.AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");
        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Gateway.Admin.DeleteAsync("/admin/bans?subject=2001:db8:77:1::/64")).StatusCode);
    }

    [Fact]
    public async Task Ban_OnAllowListedClient_DoesNotBlockIt()
    {
        await Gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "192.0.2.10", ttlSeconds = 600 });

        var response = await Gateway.Public.SendAsync(Login("alice", "correct-horse-battery", "192.0.2.10"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("[]", "")]
    [InlineData("""{"subject":"bogus","ttlSeconds":60}""", "not an IP address")]
    [InlineData("""{"subject":"10.0.0.0/8","ttlSeconds":60}""", "Deny list")]
    [InlineData("""{"subject":"10.0.0.1","ttlSeconds":0}""", "ttlSeconds")]
    [InlineData("""{"subject":"10.0.0.1"}""", "ttlSeconds")]
    [InlineData("""{"subject":"10.0.0.1","ttlSeconds":99999999}""", "ttlSeconds")]
    [InlineData("""{"subject":"10.0.0.1","ttlSeconds":60,"reason":"seen from 10.0.0.1"}""", "must not contain an IP or e-mail address")]
    [InlineData("""{"subject":"10.0.0.1","ttlSeconds":60,"reason":"reported by jane.doe@example.org"}""", "must not contain an IP or e-mail address")]
    [InlineData("""{"subject":"10.0.0.1","ttlSeconds":"sixty"}""", "")]
    public async Task AddBan_BadInput_Gets400Problem(string body, string detail)
    {
        var response = await Gateway.Admin.PostAsync("/admin/bans", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
        if (detail.Length > 0)
        {
            Assert.Contains(detail, problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("/admin/bans/not-a-ban-id")]
    [InlineData("/admin/bans?subject=nonsense")]
    public async Task RemoveBan_BadId_Gets400Problem(string path)
    {
        var response = await Gateway.Admin.DeleteAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-request");
    }
}
