using System.Net;
using System.Text.Json;
using FraudGateway.Trainer.Capture;
using FraudGateway.Trainer.Simulation;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.Trainer;

public sealed class HeaderCaptureServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fg-capture-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Records_every_header_with_client_version_and_no_trace_of_the_host()
    {
        var output = Path.Combine(_dir, "captured.jsonl");
        var port = FreeLoopbackPort();
        await using (var server = await HeaderCaptureServer.StartAsync(port, output))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var request = new HttpRequestMessage(HttpMethod.Post, "/capture/test-client/post-json?version=1.2.3")
            {
                Content = new StringContent("""{"username":"alice"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("User-Agent", "test-client/1.2.3");
            request.Headers.TryAddWithoutValidation("Referer", $"http://127.0.0.1:{port}/page/test-client");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
            Assert.Equal("1", await http.GetStringAsync("/count"));
            Assert.Contains("fetch(", await http.GetStringAsync("/page/chromium?version=1"));
        }

        var line = Assert.Single(File.ReadAllLines(output));
        Assert.DoesNotContain($"{port}", line);
        var captured = JsonSerializer.Deserialize<CapturedRequest>(line)!;
        Assert.Equal(("test-client", "1.2.3", "post-json", "POST", 20L), (captured.Client, captured.Version, captured.Request, captured.Method, captured.BodyLength));
        Assert.Contains(captured.Headers, h => h[0] == "User-Agent" && h[1] == "test-client/1.2.3");
        Assert.Contains(captured.Headers, h => h[0] == "Host" && h[1] == "{host}");
        Assert.Contains(captured.Headers, h => h[0] == "Referer" && h[1] == "{origin}/page/test-client");
    }

    [Theory]
    [InlineData("192.0.2.10", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::ffff:192.0.2.10", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    public void Only_loopback_peers_are_answered(string address, bool loopback) =>
        Assert.Equal(loopback, HeaderCaptureServer.IsLoopback(IPAddress.Parse(address)));

    [Fact]
    public async Task A_refused_peer_gets_a_403_problem_and_nothing_is_recorded()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await HeaderCaptureServer.Refuse(context);
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        Assert.Contains("capture-loopback-only", new StreamReader(context.Response.Body).ReadToEnd());
    }

    // The committed corpus has what the simulator needs, from the clients the capture script drives.
    [Fact]
    public void Committed_corpus_loads_with_browsers_headless_browsers_and_tools()
    {
        var corpus = CapturedHeaderCorpus.Load(Path.Combine(Model.RepoPaths.Root, "data", "client-headers", "captured.jsonl"));
        var clients = corpus.Sets.Select(s => s.Client).ToHashSet();
        foreach (var client in new[] { "curl", "wget", "python-requests", "python-httpx", "python-aiohttp", "python-urllib", "node-fetch", "axios",
                     "go-net-http", "dotnet-httpclient", "java-httpclient", "chromium-playwright-headless", "chromium-headless", "chromium", "firefox-esr" })
        {
            Assert.Contains(client, clients);
        }

        Assert.Equal("same-origin", corpus.Browser(BrowserEngine.Gecko, "fetch")["Sec-Fetch-Site"]);
        Assert.Contains("HeadlessChrome", corpus.Headless[0]["User-Agent"]);
        Assert.All(corpus.Tools, t => Assert.Null(t["Sec-Fetch-Site"]));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
