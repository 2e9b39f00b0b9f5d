using System.Text.Json;
using FraudGateway.Model;

namespace FraudGateway.Tls;

// Which client software a JA4 belongs to, from the corpus of real clients captured on this machine
// (data/tls-clients/captured.jsonl, scripts/capture-client-headers.sh --tls): each browser engine (Chromium, Firefox)
// and each library (curl, Python, Node, Go, Java, .NET, ...). A fingerprint is matched without its SNI flag, extension
// count and ALPN characters (what the same client changes between a domain and an address, or between HTTP versions):
// by TLS version, cipher count and the cipher and extension hashes. A fingerprint the corpus does not hold is unknown, and
// unknown is not evidence; one the corpus holds for both a browser and a library (or two browser engines) is unknown
// too. Libraries that share one (Python's urllib and aiohttp, both OpenSSL with Python's defaults) keep the first name.
public sealed class TlsStacks
{
    // Version (2), cipher count (2) and the two hashes with the separator before the second (26).
    private const int KeyLength = 30;

    // Looked up by a key written on the stack: a request's fingerprint is classified without making a string.
    private readonly Dictionary<string, TlsSoftware>.AlternateLookup<ReadOnlySpan<char>> _stacks;

    private TlsStacks(Dictionary<string, TlsSoftware> stacks) => _stacks = stacks.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The stacks of the corpus shipped in the gateway (embedded at build time).</summary>
    public static TlsStacks Shipped { get; } = Load(typeof(TlsStacks).Assembly.GetManifestResourceStream("FraudGateway.Tls.captured.jsonl")
        ?? throw new InvalidOperationException("The embedded TLS client corpus is missing."));

    public static TlsStacks Load(Stream capture)
    {
        var stacks = new Dictionary<string, TlsSoftware>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(capture);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            if (!json.RootElement.TryGetProperty("Ja4", out var ja4) || ja4.GetString() is not { } value || !TlsFingerprint.IsWellFormed(value))
            {
                continue;
            }

            var client = json.RootElement.GetProperty("Client").GetString() ?? "";
            var stack = StackOf(client);
            var key = Key(value);
            if (stacks.TryGetValue(key, out var known) && (known.Kind != stack.Kind || (known.Kind == TlsSoftwareKind.Browser && known.Engine != stack.Engine)))
            {
                ambiguous.Add(key);
            }

            stacks.TryAdd(key, stack);
        }

        foreach (var key in ambiguous)
        {
            stacks.Remove(key);
        }

        return new TlsStacks(stacks);
    }

    public TlsSoftware Classify(string? ja4)
    {
        if (ja4 is null || ja4.Length != 36)
        {
            return TlsSoftware.Unknown;
        }

        Span<char> key = stackalloc char[KeyLength];
        WriteKey(ja4, key);
        return _stacks.TryGetValue(key, out var stack) ? stack : TlsSoftware.Unknown;
    }

    /// <summary>
    /// The known stack behind ja4 when it contradicts the browser the user agent claims (a library's TLS under a
    /// browser's user agent, or another browser engine's); null when it agrees, the user agent claims no browser, or
    /// the fingerprint is unknown.
    /// </summary>
    public TlsSoftware? Contradicts(string? ja4, BrowserFamily claimed)
    {
        var claimedEngine = EngineOf(claimed);
        if (claimedEngine is null)
        {
            return null;
        }

        var stack = Classify(ja4);
        return stack.Kind switch
        {
            TlsSoftwareKind.Library => stack,
            TlsSoftwareKind.Browser when stack.Engine != claimedEngine => stack,
            _ => null,
        };
    }

    // Version, cipher count, cipher hash and extension hash: t13d1516h2_8daaf6152771_e5627efa2ab1 -> 1315_8daaf6152771_e5627efa2ab1.
    private static string Key(string ja4)
    {
        Span<char> key = stackalloc char[KeyLength];
        WriteKey(ja4, key);
        return new string(key);
    }

    private static void WriteKey(string ja4, Span<char> key)
    {
        ja4.AsSpan(1, 2).CopyTo(key);
        ja4.AsSpan(4, 2).CopyTo(key[2..]);
        ja4.AsSpan(10).CopyTo(key[4..]);
    }

    // The corpus's client names: chromium-* and firefox-* are browsers, everything else a library.
    private static TlsSoftware StackOf(string client) =>
        client.StartsWith("chromium", StringComparison.Ordinal) ? new TlsSoftware(TlsSoftwareKind.Browser, "chromium", "chromium")
        : client.StartsWith("firefox", StringComparison.Ordinal) ? new TlsSoftware(TlsSoftwareKind.Browser, "firefox", "firefox")
        : new TlsSoftware(TlsSoftwareKind.Library, client, client);

    // The TLS engine a browser family ships: Chromium's BoringSSL, Firefox's NSS, Apple's on iOS (which the corpus
    // does not hold: any library or other engine under an iOS browser's name still contradicts it).
    private static string? EngineOf(BrowserFamily family) => family switch
    {
        BrowserFamily.Chrome or BrowserFamily.Edge or BrowserFamily.Opera or BrowserFamily.SamsungInternet or BrowserFamily.Yandex
            or BrowserFamily.Vivaldi => "chromium",
        BrowserFamily.Firefox => "firefox",
        BrowserFamily.Safari or BrowserFamily.ChromeIos or BrowserFamily.FirefoxIos or BrowserFamily.IosWebView => "apple",
        _ => null,
    };
}
