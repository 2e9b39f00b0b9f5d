using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// Builds request headers from what real client software sent (CapturedHeaderCorpus), never from invented sets.
// Only the fields the model reads are kept (Accept, Accept-Language, Accept-Encoding, Sec-Fetch-*, Sec-CH-UA,
// Content-Type, method).
public sealed class HeaderFactory(CapturedHeaderCorpus corpus)
{
    // Accept-Language varies with the person's locale (the captures were made in en-US).
    private static readonly string[] Languages =
    [
        "en-US,en;q=0.9", "en-GB,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9,en;q=0.8", "es-ES,es;q=0.9",
        "pt-BR,pt;q=0.9,en-US;q=0.8", "ja-JP,ja;q=0.9", "nl-NL,nl;q=0.9,en;q=0.8", "pl-PL,pl;q=0.9", "en-US",
        "it-IT,it;q=0.9,en;q=0.8", "zh-CN,zh;q=0.9", "ko-KR,ko;q=0.9,en;q=0.8", "tr-TR,tr;q=0.9", "en",
    ];

    public CapturedHeaderCorpus Corpus => corpus;

    // A person's browser: the captured set of its engine for the request kind (a plain fetch(), a fetch() with a
    // front-end library's Accept, or a form post), with its own user agent and locale. Sec-Fetch-* only from versions
    // that send them; client hints only from Chromium, rewritten for its version, and only on most requests (they
    // need a secure context; some sites are still plain HTTP). WebKit (Safari, every iOS browser) cannot be captured on
    // this Linux machine: it gets the Gecko set, which matches it on every field the model reads but Accept-Encoding.
    public ClientHeaders Browser(string userAgent, Random random, bool jsonBody)
    {
        var ua = UserAgentAnalyzer.Analyze(userAgent);
        var engine = ua.IsChromium && !ua.IsIos ? BrowserEngine.Chromium : BrowserEngine.Gecko;
        var set = corpus.Browser(engine, RequestKind(random, jsonBody));
        var secFetch = FeatureExtractor.SecFetchExpected(ua);
        var hints = engine == BrowserEngine.Chromium && ua.MajorVersion >= 90 && random.NextDouble() < 0.85;
        return new ClientHeaders(
            userAgent,
            set["Accept"],
            Languages[random.Next(Languages.Length)],
            Encoding(ua, set["Accept-Encoding"]),
            secFetch ? set["Sec-Fetch-Site"] : null,
            secFetch ? set["Sec-Fetch-Mode"] : null,
            secFetch ? set["Sec-Fetch-Dest"] : null,
            hints ? ClientHintsFor(ua) : null,
            set["Content-Type"] ?? "application/json",
            set.Method);
    }

    // A real browser's set under any user agent: a bot, crawler or HTTP library that copied a browser's headers.
    public ClientHeaders BrowserHeadersUnder(string userAgent, Random random, bool jsonBody)
    {
        var set = corpus.Browser(random.NextDouble() < 0.7 ? BrowserEngine.Chromium : BrowserEngine.Gecko, RequestKind(random, jsonBody));
        return new ClientHeaders(
            userAgent,
            set["Accept"],
            random.NextDouble() < 0.8 ? Languages[random.Next(Languages.Length)] : set["Accept-Language"],
            set["Accept-Encoding"],
            set["Sec-Fetch-Site"],
            set["Sec-Fetch-Mode"],
            set["Sec-Fetch-Dest"],
            random.NextDouble() < 0.4 ? set["sec-ch-ua"] : null,
            set["Content-Type"] ?? "application/json",
            set.Method);
    }

    // An HTTP library or command-line tool exactly as captured, with its own user agent or another script's.
    public ClientHeaders Tool(Random random, string? userAgent = null)
    {
        var set = corpus.Tools[random.Next(corpus.Tools.Count)];
        return FromSet(set, userAgent ?? set["User-Agent"]);
    }

    // A real browser driven headless (Playwright, --headless), as captured; with a copied user agent when given.
    public ClientHeaders Headless(Random random, string? userAgent = null)
    {
        var set = corpus.Headless[random.Next(corpus.Headless.Count)];
        return FromSet(set, userAgent ?? set["User-Agent"]);
    }

    // A script that copies a browser's user agent and, with the given probability each, the browser's other headers;
    // what it does not copy is its library's own.
    public ClientHeaders Spoofed(string browserUserAgent, Random random, bool jsonBody, double completeness)
    {
        var full = Browser(browserUserAgent, random, jsonBody);
        var tool = Tool(random);
        var spoofed = full with
        {
            Accept = random.NextDouble() < completeness ? full.Accept : tool.Accept,
            AcceptLanguage = random.NextDouble() < completeness ? full.AcceptLanguage : tool.AcceptLanguage,
            AcceptEncoding = random.NextDouble() < completeness ? full.AcceptEncoding : tool.AcceptEncoding,
            SecFetchSite = random.NextDouble() < completeness ? full.SecFetchSite : null,
            SecFetchMode = random.NextDouble() < completeness ? full.SecFetchMode : null,
            SecFetchDest = random.NextDouble() < completeness ? full.SecFetchDest : null,
            SecChUa = random.NextDouble() < completeness * 0.7 ? full.SecChUa : null,
        };

        // A copy that kept every header the browser sends (client hints aside, which proxies and plain-HTTP origins
        // drop for people too) is the browser's own set: nothing tells it from a person (ClientHeaders.BrowserDriven).
        var complete = (spoofed.Accept is null) == (full.Accept is null) && (spoofed.AcceptLanguage is null) == (full.AcceptLanguage is null)
            && (spoofed.AcceptEncoding is null) == (full.AcceptEncoding is null) && spoofed.SecFetchSite == full.SecFetchSite
            && spoofed.SecFetchMode == full.SecFetchMode && spoofed.SecFetchDest == full.SecFetchDest;
        return spoofed with { BrowserDriven = complete };
    }

    private static ClientHeaders FromSet(CapturedSet set, string? userAgent) => new(
        userAgent,
        set["Accept"],
        set["Accept-Language"],
        set["Accept-Encoding"],
        set["Sec-Fetch-Site"],
        set["Sec-Fetch-Mode"],
        set["Sec-Fetch-Dest"],
        set["sec-ch-ua"],
        set["Content-Type"] ?? "application/json",
        set.Method);

    private static string RequestKind(Random random, bool jsonBody) =>
        !jsonBody ? "form" : random.NextDouble() < 0.5 ? "fetch" : "fetch-library";

    // zstd arrived in Chromium 123 and Firefox 126; WebKit sends gzip, deflate, br.
    private static string? Encoding(in UserAgentInfo ua, string? captured)
    {
        var zstd = (ua.IsChromium && !ua.IsIos && ua.MajorVersion >= 123) || (ua.Family == BrowserFamily.Firefox && ua.MajorVersion >= 126);
        return zstd ? captured : "gzip, deflate, br";
    }

    private static string ClientHintsFor(in UserAgentInfo ua)
    {
        var brand = ua.Family switch
        {
            BrowserFamily.Edge => "Microsoft Edge",
            BrowserFamily.Opera => "Opera",
            BrowserFamily.SamsungInternet => "Samsung Internet",
            BrowserFamily.Yandex => "YaBrowser",
            _ => "Google Chrome",
        };
        var chromium = ua.Family is BrowserFamily.Chrome or BrowserFamily.Edge ? ua.MajorVersion : 140;
        return $"\"Chromium\";v=\"{chromium}\", \"{brand}\";v=\"{ua.MajorVersion}\", \"Not_A Brand\";v=\"24\"";
    }
}
