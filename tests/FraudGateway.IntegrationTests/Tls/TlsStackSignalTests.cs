using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;

namespace FraudGateway.IntegrationTests.Tls;

// Through the real gateway over HTTPS with the shipped configuration: scripts that copy a current Chrome's user agent
// and its whole header set are caught by the TLS stack they cannot copy (curl's OpenSSL, Python's, Node's, .NET's), while
// a real Chromium with the same user agent and headers passes untouched.
public sealed class TlsStackSignalTests(Upstreams upstreams) : IClassFixture<Upstreams>, IDisposable
{
    private const int PerClient = 20;
    private const string ChromeUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
    // Stuffing: one login per account (a real person's own account, once, is what Chromium sends below).
    private static string Body(int client, int i) => $"{{\"username\":\"user{client}-{i}\",\"password\":\"correct-horse-battery\"}}";

    // Chromium's fetch() header set (data/client-headers/captured.jsonl) as a script copies it.
    private static readonly (string Name, string Value)[] ChromeHeaders =
    [
        ("User-Agent", ChromeUserAgent), ("Accept", "*/*"), ("Accept-Language", "en-US,en;q=0.9"), ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("sec-ch-ua", "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\""), ("sec-ch-ua-mobile", "?0"), ("sec-ch-ua-platform", "\"Linux\""),
        ("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Mode", "cors"), ("Sec-Fetch-Dest", "empty"), ("Content-Type", "application/json"),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("fraudgateway-tls-signal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Scripts_in_Chromes_clothes_are_challenged_and_Chromium_is_not()
    {
        var upstream = upstreams.SampleApi;
        var port = FreePort.Next();
        var config = GatewayConfig.Shipped(upstream.Url);
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["Record"] = "All" };
        var certificate = SelfSignedCertificate.Write(_folder);
        await using var gateway = await GatewayServer.StartAsync(config, builder => builder.Configuration.AddInMemoryCollection(certificate.Settings(port)));
        var url = $"https://127.0.0.1:{port}/api/auth/login";

        // The person first: once the scripts' attempts mount up, the site-wide defense (shipped on) rightly asks every
        // new device for a proof of work, which would say nothing about the TLS signal.
        var chromium = await Chromium(port, 5);
        var results = new Dictionary<string, int[]>
        {
            ["curl"] = await Curl(url, 1),
            ["python-urllib"] = await Python(url, 2),
            ["node-fetch"] = await Node(url, 3),
            ["dotnet-httpclient"] = await DotNet(url, 4, certificate),
        };

        var recorded = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/decisions?limit=500")).RootElement.GetProperty("decisions")
            .EnumerateArray().Select(d => $"{d.GetProperty("action").GetString()} {d.GetProperty("reason").GetString()} {(d.TryGetProperty("ja4", out var j) ? j.GetString() : "-")} [{string.Join(",", d.GetProperty("findings").EnumerateArray())}]").ToList();
        foreach (var (client, statuses) in results)
        {
            // Caught: 403, a challenge (proof of work) or a refusal; nothing else refused them (no limit was near).
            var caught = statuses.Count(s => s == 403);
            Assert.True(caught >= PerClient * 95 / 100, $"{client}: {caught} of {statuses.Length} challenged or refused ({string.Join(",", statuses)})\n{string.Join("\n", recorded)}");
        }

        // Forwarded, every one: the upstream's answer (200, or 401 for an account it does not know), never the gateway's.
        Assert.All(chromium, status => Assert.Contains(status, new[] { 200, 401 }));
        var findings = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/decisions?limit=500")).RootElement.GetProperty("decisions")
            .EnumerateArray().SelectMany(d => d.GetProperty("findings").EnumerateArray().Select(f => f.GetString())).ToHashSet();
        Assert.Contains("scoring:tls-stack-curl", findings);
        Assert.Contains("scoring:tls-stack-node-fetch", findings);
    }

    // Each request from its own /24: no per-address or per-prefix limit plays a part.
    private static string Forwarded(int client, int i) => $"100.{64 + client}.{i}.1";

    private static async Task<int[]> Curl(string url, int client)
    {
        var statuses = new int[PerClient];
        for (var i = 0; i < PerClient; i++)
        {
            var args = new List<string> { "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data", Body(client, i), "-H", "X-Forwarded-For: " + Forwarded(client, i) };
            foreach (var (name, value) in ChromeHeaders)
            {
                args.AddRange(["-H", $"{name}: {value}"]);
            }

            args.Add(url);
            statuses[i] = int.Parse(await Run("curl", args, null), System.Globalization.CultureInfo.InvariantCulture);
        }

        return statuses;
    }

    private static async Task<int[]> Python(string url, int client)
    {
        var headers = JsonSerializer.Serialize(ChromeHeaders.ToDictionary(h => h.Name, h => h.Value));
        var script = $$"""
            import json, ssl, sys, urllib.request, urllib.error
            headers = json.loads(sys.argv[2])
            for i in range({{PerClient}}):
                h = dict(headers, **{"X-Forwarded-For": "100.{{64 + client}}.%d.1" % i})
                body = json.dumps({"username": "user{{client}}-%d" % i, "password": "correct-horse-battery"}).encode()
                try:
                    print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=body, headers=h, method="POST"), context=ssl._create_unverified_context()).status)
                except urllib.error.HTTPError as e:
                    print(e.code)
            """;
        return Statuses(await Run("/usr/bin/python3", ["-c", script, url, headers], null));
    }

    private static async Task<int[]> Node(string url, int client)
    {
        var headers = JsonSerializer.Serialize(ChromeHeaders.ToDictionary(h => h.Name, h => h.Value));
        var script = $$"""
            const [url, headers] = process.argv.slice(1);
            for (let i = 0; i < {{PerClient}}; i++) {
              const body = JSON.stringify({ username: `user{{client}}-${i}`, password: 'correct-horse-battery' });
              const r = await fetch(url, { method: 'POST', headers: { ...JSON.parse(headers), 'X-Forwarded-For': `100.{{64 + client}}.${i}.1` }, body });
              await r.arrayBuffer();
              console.log(r.status);
            }
            """;
        return Statuses(await Run("node", ["--input-type=module", "-e", script, url, headers], new() { ["NODE_TLS_REJECT_UNAUTHORIZED"] = "0", ["NODE_NO_WARNINGS"] = "1" }));
    }

    private static async Task<int[]> DotNet(string url, int client, SelfSignedCertificate certificate)
    {
        using var handler = certificate.Handler();
        using var http = new HttpClient(handler);
        var statuses = new int[PerClient];
        for (var i = 0; i < PerClient; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Body(client, i)) };
            request.Content.Headers.ContentType = new("application/json");
            foreach (var (name, value) in ChromeHeaders.Where(h => h.Name != "Content-Type"))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            request.Headers.TryAddWithoutValidation("X-Forwarded-For", Forwarded(client, i));
            using var response = await http.SendAsync(request);
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    // Debian's Chromium (headless, through Playwright) with the same user agent: the page's own fetch().
    private static async Task<int[]> Chromium(int port, int client)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { IgnoreHTTPSErrors = true, UserAgent = ChromeUserAgent });
        await page.GotoAsync($"https://127.0.0.1:{port}/api/ping");
        var statuses = new int[PerClient];
        for (var i = 0; i < PerClient; i++)
        {
            statuses[i] = await page.EvaluateAsync<int>(
                "async ([body, ip]) => (await fetch('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip }, body })).status",
                new object[] { Body(client, i), Forwarded(client, i) });
        }

        return statuses;
    }

    private static int[] Statuses(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static async Task<string> Run(string file, IEnumerable<string> args, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await error}");
        return await output;
    }
}
