using System.Net;
using System.Net.Http.Json;
using System.Text;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Forwarding;

public class ProxyTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private HttpClient Client => fixture.Gateway.Public;

    [Fact]
    public async Task UnprotectedRoute_ForwardsToSampleApi()
    {
        var response = await Client.GetAsync("/api/ping");

        response.EnsureSuccessStatusCode();
        Assert.Contains("pong", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProtectedLogin_CorrectPassword_UpstreamAnswers200()
    {
        var response = await Client.SendAsync(Login("alice", "correct-horse-battery"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("token", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProtectedLogin_WrongPassword_UpstreamAnswerPassesThrough()
    {
        var response = await Client.SendAsync(Login("alice", "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("urn:sampleapi:problem:invalid-credentials", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ContactForm_JsonAndForm_BothReachTheUpstream()
    {
        var json = await Client.PostAsJsonAsync("/api/contact", new { name = "Ann", email = "ann@example.org", message = "Hello" });
        var form = await Client.PostAsync("/api/contact", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "Ann", ["email"] = "ann@example.org", ["message"] = "Hello",
        }));

        Assert.Equal(HttpStatusCode.Accepted, json.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, form.StatusCode);
    }

    [Fact]
    public async Task PolicyDenyList_ClientBehindTrustedProxy_Gets403Problem()
    {
        var response = await Client.SendAsync(Login("alice", "correct-horse-battery", forwardedFor: "203.0.113.50"));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied");
    }

    [Fact]
    public async Task GlobalDenyList_AppliesToEveryProtectedRoute()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/contact") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", "198.51.100.1");

        var response = await Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied");
    }

    [Fact]
    public async Task UnprotectedRoute_DeniedClient_IsProxiedUntouched()
    {
        var response = await Client.SendAsync(Get("/api/ping", forwardedFor: "203.0.113.50"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ProblemAnswer_CarriesNoInternals()
    {
        var response = await Client.SendAsync(Login("alice", "x", forwardedFor: "203.0.113.50"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("203.0.113", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("at FraudGateway", body);
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("1.2.3.4.5, ,,, [::1")]
    [InlineData("unknown")]
    public async Task MalformedForwardedFor_IsHandledNotA500(string header)
    {
        var response = await Client.SendAsync(Login("alice", "correct-horse-battery", forwardedFor: header));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HugeHeader_IsRefusedByKestrelNotA500()
    {
        var request = Login("alice", "correct-horse-battery", forwardedFor: string.Join(",", Enumerable.Repeat("203.0.113.1", 5000)));

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task LongForwardedForChain_WithinLimits_IsWalkedNotA500()
    {
        var chain = string.Join(",", Enumerable.Repeat("127.0.0.1", 500)) + ",203.0.113.9";

        var response = await Client.SendAsync(Login("alice", "correct-horse-battery", forwardedFor: chain));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "access-denied");
    }

    [Fact]
    public async Task UnknownPath_Gets404Problem()
    {
        var response = await Client.GetAsync("/no/such/path");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "route-not-found");
    }
}
