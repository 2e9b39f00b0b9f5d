using System.Text.Json;
using FraudGateway.Model;
using FraudGateway.Tests.Model;
using FraudGateway.Tls;

namespace FraudGateway.Tests.Tls;

// The shipped TLS client corpus (data/tls-clients/captured.jsonl, captured on this machine by
// scripts/capture-client-headers.sh --tls) as the gateway reads it.
public class TlsStacksTests
{
    private static readonly List<(string Client, string Ja4)> Captured = File.ReadLines(Path.Combine(RepoPaths.Root, "data", "tls-clients", "captured.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Select(e => (e.GetProperty("Client").GetString()!, e.GetProperty("Ja4").GetString()!))
        .ToList();

    private static string Of(string client) => Captured.First(c => c.Client == client).Ja4;

    [Fact]
    public void The_corpus_holds_the_libraries_and_browsers_the_issue_names()
    {
        var clients = Captured.Select(c => c.Client).ToHashSet();
        foreach (var client in new[] { "curl", "wget", "python-urllib", "python-requests", "python-httpx", "python-aiohttp", "node-fetch", "axios", "go-net-http", "java-httpclient", "dotnet-httpclient", "chromium-playwright-headless", "chromium", "firefox-esr" })
        {
            Assert.Contains(client, clients);
        }

        Assert.All(Captured, c => Assert.True(TlsFingerprint.IsWellFormed(c.Ja4), c.Client));
    }

    [Fact]
    public void Every_captured_client_is_known_as_what_it_is()
    {
        foreach (var (client, ja4) in Captured)
        {
            var known = TlsStacks.Shipped.Classify(ja4);
            var browser = client.StartsWith("chromium", StringComparison.Ordinal) || client.StartsWith("firefox", StringComparison.Ordinal);
            // A fingerprint two kinds of client share is unknown; none does in this corpus.
            Assert.Equal(browser ? TlsSoftwareKind.Browser : TlsSoftwareKind.Library, known.Kind);
        }
    }

    // The same client to a domain (SNI) and with another ALPN offer changes the first part only: still known.
    [Fact]
    public void Sni_extension_count_and_alpn_do_not_change_the_match()
    {
        var curl = Of("curl");
        var extensions = int.Parse(curl[6..8], System.Globalization.CultureInfo.InvariantCulture) + 1;
        var toDomain = curl[..3] + "d" + curl[4..6] + extensions.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "h1" + curl[10..];

        Assert.Equal("curl", TlsStacks.Shipped.Classify(toDomain).Name);
    }

    [Fact]
    public void A_library_under_a_browsers_user_agent_contradicts_it_and_the_browser_itself_does_not()
    {
        var stacks = TlsStacks.Shipped;
        foreach (var library in new[] { "curl", "python-requests", "node-fetch", "go-net-http", "dotnet-httpclient" })
        {
            Assert.Equal(library, stacks.Contradicts(Of(library), BrowserFamily.Chrome)?.Name);
            Assert.Equal(library, stacks.Contradicts(Of(library), BrowserFamily.Firefox)?.Name);
            // A library that says it is one is not contradicted.
            Assert.Null(stacks.Contradicts(Of(library), BrowserFamily.None));
        }

        Assert.Null(stacks.Contradicts(Of("chromium"), BrowserFamily.Chrome));
        Assert.Null(stacks.Contradicts(Of("firefox-esr"), BrowserFamily.Firefox));
        Assert.Equal("firefox", stacks.Contradicts(Of("firefox-esr"), BrowserFamily.Chrome)?.Name);
        Assert.Null(stacks.Contradicts(Of("chromium"), BrowserFamily.Edge));
        // Chromium's TLS under Safari's name is another engine.
        Assert.Equal("chromium", stacks.Contradicts(Of("chromium"), BrowserFamily.Safari)?.Name);
    }

    [Fact]
    public void Unknown_or_missing_fingerprints_are_not_evidence()
    {
        Assert.Null(TlsStacks.Shipped.Contradicts("t13d1516h2_000000000000_000000000000", BrowserFamily.Chrome));
        Assert.Null(TlsStacks.Shipped.Contradicts(null, BrowserFamily.Chrome));
        Assert.Equal(TlsSoftwareKind.Unknown, TlsStacks.Shipped.Classify("garbage").Kind);
    }

    [Fact]
    public void A_fingerprint_held_for_a_browser_and_a_library_is_unknown()
    {
        var chromium = Of("chromium");
        var lines = $$"""
            {"Client":"chromium","Ja4":"{{chromium}}"}
            {"Client":"curl","Ja4":"{{chromium}}"}
            """;

        var stacks = TlsStacks.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(lines)));

        Assert.Equal(TlsSoftwareKind.Unknown, stacks.Classify(chromium).Kind);
    }
}
