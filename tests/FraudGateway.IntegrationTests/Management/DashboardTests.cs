using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Playwright;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Management;

// The dashboard in a real browser: Debian's Chromium driven by Microsoft.Playwright (its own browser download is not
// used: ExecutablePath points at the system browser). The page loads, shows the traffic sent with labelled axes and
// refusal reasons only, lists the candidate model's disagreements, labels a scored decision (and changes and undoes
// the label; an unscored one offers no label), an Unban click lifts the ban, and signing out clears what the key read.
public class DashboardTests(Upstreams upstreams) : IClassFixture<Upstreams>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_InChromium_ShowsTraffic_UnbanLiftsTheBan_LabelIsStored()
    {
        Assert.True(File.Exists(Chromium), "Chromium is needed for this test (apt-get install chromium; test.sh installs it).");
        var upstream = upstreams.SampleApi;
        var candidate = Path.Combine(Path.GetTempPath(), $"fraudgateway-dashboard-{Guid.NewGuid():N}.zip");
        Scoring.ScoringTests.TrainInvertedModel(candidate);
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Policies"]!["login"]!["Scoring"] = new JsonObject { ["Mode"] = "Enforce" };
        config["FraudGateway"]!["Policies"]!["login"]!["BodyInspection"] = new JsonObject { ["AccountField"] = "username", ["PasswordField"] = "password" };
        config["FraudGateway"]!["Model"] = new JsonObject { ["CandidatePath"] = candidate };
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["Record"] = "All" };
        await using var gateway = await GatewayServer.StartAsync(config);

        // An allowed request (recorded: Record All) and a browser login the candidate would refuse.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/api/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(BrowserLogin("alice", "correct-horse-battery", "100.64.163.1"))).StatusCode);

        for (var i = 0; i < 3; i++)
        {
            // The first with a password from the breach corpus: the table says so.
            using var scripted = Login("alice", i == 0 ? "123456" : "wrong-password", $"100.64.161.{i + 1}");
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
        Assert.Equal(1, await page.Locator("#refusals td.client", new() { HasTextString = "breached password" }).CountAsync());
        Assert.Contains("risk-score", await page.TextContentAsync("#reasons"), StringComparison.Ordinal);
        Assert.DoesNotContain("no-rule-matched", await page.TextContentAsync("#reasons"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#decision-chart rect.block").CountAsync() >= 1);
        Assert.Matches("^decisions / min \\(0–\\d+\\)$", await page.TextContentAsync("#decision-chart-y"));
        Assert.Matches("^requests per bin \\(0–\\d+\\)$", await page.TextContentAsync("#score-chart-y"));
        Assert.Contains("risk score", await page.TextContentAsync("#score-chart + .axis.x"), StringComparison.Ordinal);

        // The candidate's disagreement itself: the request, both models' scores and decisions.
        // (The candidate inverts the live model: it allows the scripted logins the live one blocked, and refuses the browser.)
        var disputed = await page.Locator("#disagreement-list tbody tr").CountAsync();
        Assert.Equal(disputed.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.TextContentAsync("#disagreements"));
        var browserRow = page.Locator("#disagreement-list tbody tr").Filter(new() { Has = page.Locator("td.live", new() { HasTextString = " allow (fraudgateway@" }) });
        Assert.Equal(1, await browserRow.CountAsync());
        Assert.Matches("^0\\.\\d{3} (challenge|block) \\(inverted@", await browserRow.Locator("td.candidate").TextContentAsync());
        Assert.Empty(await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href^=\"http\"], script[src^=\"http\"], link[href^=\"http\"]')].map(e => e.outerHTML)"));
        Assert.DoesNotContain(GatewayConfig.ApiKey, page.Url, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("FRAUDGATEWAY_DASHBOARD_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }

        // The newest refusal (the banned contact post) was not scored: no label buttons. Label the newest scored one,
        // change the label, undo it.
        Assert.Equal("not scored", await page.TextContentAsync("#refusals tbody tr:first-child td.label-cell"));
        var scored = "#refusals tbody tr:has(button.label-fraud)";
        var requestId = await page.GetAttributeAsync(scored, "data-request");
        var row = $"#refusals tbody tr[data-request='{requestId}']";
        await page.ClickAsync($"{row} button.label-fraud");
        await EventuallyAsync(async () => await Label(gateway, requestId!) == "fraud", "the label stored");
        await page.WaitForSelectorAsync($"{row} button.label-legitimate");
        await page.ClickAsync($"{row} button.label-legitimate");
        await EventuallyAsync(async () => await Label(gateway, requestId!) == "legitimate", "the label changed");
        await page.WaitForSelectorAsync($"{row} button.label-undo");
        await page.ClickAsync($"{row} button.label-undo");
        await EventuallyAsync(async () => await Label(gateway, requestId!) is null, "the label undone");

        // Unban: the ban is gone and the next request from that address passes.
        await page.ClickAsync("#bans tbody tr:first-child button.unban");
        await page.WaitForFunctionAsync("() => document.querySelector('#ban-count').textContent === '0'");
        Assert.Equal(HttpStatusCode.Accepted, (await Contact(gateway)).StatusCode);

        // Signing out leaves nothing the key read on screen.
        await page.ClickAsync("#sign-out");
        Assert.Equal("", await page.TextContentAsync("#model"));
        Assert.False(await page.IsVisibleAsync("#dashboard"));
        Assert.Empty(errors);
        File.Delete(candidate);
    }

    private static async Task<string?> Label(GatewayServer gateway, string requestId)
    {
        var decision = JsonDocument.Parse(await gateway.Admin.GetStringAsync($"/admin/decisions/{requestId}")).RootElement;
        return decision.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.Object ? label.GetProperty("label").GetString() : null;
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
