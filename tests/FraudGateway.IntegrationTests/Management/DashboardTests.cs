using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Playwright;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// The dashboard in a real browser: Debian's Chromium driven by Microsoft.Playwright (its own browser download is not
// used: ExecutablePath points at the system browser). The page loads, shows the traffic sent, an Unban click lifts
// the ban (the next request passes) and a label click stores a label.
public class DashboardTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_InChromium_ShowsTraffic_UnbanLiftsTheBan_LabelIsStored()
    {
        Assert.True(File.Exists(Chromium), "Chromium is needed for this test (apt-get install chromium; test.sh installs it).");
        await using var upstream = await SampleApiServer.StartAsync();
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["Scoring"] = new JsonObject { ["Mode"] = "Enforce" };
        await using var gateway = await GatewayServer.StartAsync(config);

        for (var i = 0; i < 3; i++)
        {
            using var scripted = Login("alice", "wrong-password", $"100.64.161.{i + 1}");
            scripted.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.28.1");
            await (await gateway.Public.SendAsync(scripted)).AssertProblemAsync(HttpStatusCode.Forbidden, "risk-too-high");
        }

        Assert.Equal(HttpStatusCode.Created, (await gateway.Admin.PostAsJsonAsync("/admin/bans", new { subject = "100.64.162.9", ttlSeconds = 3600, reason = "dashboard test" })).StatusCode);
        await (await Contact(gateway)).AssertProblemAsync(HttpStatusCode.Forbidden, "client-banned");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

        await page.GotoAsync(gateway.ManagementUrl + "/dashboard");
        await page.FillAsync("#key", GatewayConfig.ApiKey);
        await page.ClickAsync("#sign-in");

        // Numbers after the traffic: four refusals (three scored, one banned), one ban, the store's health.
        await page.WaitForFunctionAsync("() => document.querySelector('#refusal-count').textContent === '4'");
        Assert.Equal("1", await page.TextContentAsync("#ban-count"));
        Assert.Contains("ready", await page.TextContentAsync("#health"), StringComparison.Ordinal);
        Assert.Equal(4, await page.Locator("#refusals tbody tr").CountAsync());
        Assert.Contains("risk-score", await page.TextContentAsync("#reasons"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#decision-chart rect.block").CountAsync() >= 1);
        Assert.Empty(await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href^=\"http\"], script[src^=\"http\"], link[href^=\"http\"]')].map(e => e.outerHTML)"));
        Assert.DoesNotContain(GatewayConfig.ApiKey, page.Url, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("FRAUDGATEWAY_DASHBOARD_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }

        // Label the newest refusal (the banned contact post) as fraud.
        var requestId = await page.GetAttributeAsync("#refusals tbody tr:first-child", "data-request");
        await page.ClickAsync("#refusals tbody tr:first-child button.label-fraud");
        await EventuallyAsync(async () =>
        {
            var decision = JsonDocument.Parse(await gateway.Admin.GetStringAsync($"/admin/decisions/{requestId}")).RootElement;
            return decision.TryGetProperty("label", out var label) && label.GetProperty("label").GetString() == "fraud";
        }, "the label stored");

        // Unban: the ban is gone and the next request from that address passes.
        await page.ClickAsync("#bans tbody tr:first-child button.unban");
        await page.WaitForFunctionAsync("() => document.querySelector('#ban-count').textContent === '0'");
        Assert.Equal(HttpStatusCode.Accepted, (await Contact(gateway)).StatusCode);
        Assert.Empty(errors);
    }

    private static Task<HttpResponseMessage> Contact(GatewayServer gateway)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/contact")
        {
            Content = JsonContent.Create(new { name = "A", email = "a@example.org", message = "hello" }),
        };
        request.Headers.Add("X-Forwarded-For", "100.64.162.9");
        return gateway.Public.SendAsync(request);
    }
}
