using System.Net;
using System.Text;
using System.Text.Json;

namespace FraudGateway.IntegrationTests.TestSupport;

public static class HttpExtensions
{
    public static HttpRequestMessage Login(string username, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { username, password }), Encoding.UTF8, "application/json"),
        };
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return request;
    }

    // A login with the header set Chromium sends for a fetch() (as captured on this machine).
    public static HttpRequestMessage BrowserLogin(string username, string password, string ip)
    {
        var request = Login(username, password, ip);
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en-US,en;q=0.9");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
        request.Headers.TryAddWithoutValidation("sec-ch-ua", "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\"");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "cors");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "empty");
        return request;
    }

    public static HttpRequestMessage Get(string path, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return request;
    }

    // Asserts a problem+json answer and returns its document.
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:fraudgateway:problem:" + slug, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
        return problem;
    }

    // For effects that happen asynchronously (a configuration reload being applied by YARP): polls, bounded.
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    // Labels a decision the pipeline decided before scoring (a ban): the API refuses those (409 not-labelable), so
    // tests of what happens to a label's data (erasure, access, retention) write it through the decision store.
    public static async Task LabelThroughStoreAsync(GatewayServer gateway, string requestId)
    {
        await EventuallyAsync(async () => (await gateway.Admin.GetAsync($"/admin/decisions/{requestId}")).StatusCode == System.Net.HttpStatusCode.OK, "the decision record");
        await gateway.Service<FraudGateway.Decisions.IDecisionStore>().SetLabelAsync(requestId, new FraudGateway.Decisions.DecisionLabel("fraud", null, gateway.Service<TimeProvider>().GetUtcNow(), "test"), CancellationToken.None);
    }
}
