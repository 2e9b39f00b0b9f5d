using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.IntegrationTests.BodyInspection;

// Contact-form spam checks through the real gateway in front of the real SampleApi. The gateway's clock is a
// FakeTimeProvider, so "the user took 5 seconds to fill the form" is a clock move, not a wait.
public sealed class ContactFormTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        var config = GatewayConfig.Default(upstreams.SampleApi.Url);
        config["FraudGateway"]!["Policies"]!["contact-form"] = new JsonObject
        {
            ["BodyInspection"] = new JsonObject
            {
                ["EmailField"] = "email", ["MessageField"] = "message", ["HoneypotField"] = "website",
                ["FormTokenField"] = "form_token", ["MinFillSeconds"] = 3, ["OnFormToken"] = "Block", ["OnDisposableEmail"] = "Block",
            },
            ["RateLimits"] = new JsonArray(new JsonObject { ["Name"] = "duplicates", ["Key"] = "message", ["Limit"] = 3, ["WindowSeconds"] = 600 }),
        };
        _gateway = await GatewayServer.StartAsync(config, builder => builder.Services.AddSingleton<TimeProvider>(_time));
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<string> FormTokenAsync()
    {
        var issued = await _gateway.Public.GetFromJsonAsync<JsonObject>("/.fraudgateway/form-token?policy=contact-form");
        Assert.Equal("form_token", (string?)issued!["field"]);
        return (string)issued["token"]!;
    }

    private async Task<HttpResponseMessage> SubmitAsync(string? token, string email = "ann@example.org", string message = "Hello, I would like a quote.", string website = "", string ip = "100.64.140.1")
    {
        var fields = new Dictionary<string, string> { ["name"] = "Ann", ["email"] = email, ["message"] = message, ["website"] = website };
        if (token is not null)
        {
            fields["form_token"] = token;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/contact") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Forwarded-For", ip);
        return await _gateway.Public.SendAsync(request);
    }

    [Fact]
    public async Task NormalSubmission_AfterFillingTheForm_Passes()
    {
        var token = await FormTokenAsync();
        _time.Advance(TimeSpan.FromSeconds(20));

        var response = await SubmitAsync(token, message: "A normal question " + Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task BotSubmittingTooFastOrWithoutTokenOrForged_IsRefused()
    {
        var token = await FormTokenAsync();

        var tooFast = await SubmitAsync(token);
        var missing = await SubmitAsync(null);
        var forged = await SubmitAsync(token[..^4] + "AAAA");

        await tooFast.AssertProblemAsync(HttpStatusCode.Forbidden, "spam-detected");
        await missing.AssertProblemAsync(HttpStatusCode.Forbidden, "spam-detected");
        await forged.AssertProblemAsync(HttpStatusCode.Forbidden, "spam-detected");
    }

    [Fact]
    public async Task BotFillingTheHoneypot_IsRefused()
    {
        var token = await FormTokenAsync();
        _time.Advance(TimeSpan.FromSeconds(20));

        var response = await SubmitAsync(token, website: "http://cheap-pills.example");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "spam-detected");
    }

    [Fact]
    public async Task DisposableEmail_IsRefused()
    {
        var token = await FormTokenAsync();
        _time.Advance(TimeSpan.FromSeconds(20));

        var response = await SubmitAsync(token, email: "throwaway@mailinator.com");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "spam-detected");
    }

    [Fact]
    public async Task SameMessageFromManyClients_IsRefusedAfterTheFirstFew()
    {
        var message = "Best SEO services, visit our site " + Guid.NewGuid();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var token = await FormTokenAsync();
            _time.Advance(TimeSpan.FromSeconds(5));
            var typed = i % 2 == 0 ? message : "  " + message.ToUpperInvariant() + " ";
            statuses.Add((await SubmitAsync(token, message: typed, ip: $"100.64.{150 + i}.1")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
