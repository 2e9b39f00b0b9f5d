namespace FraudGateway.Model;

// Reads a user agent string: browser family and major version, how stale that version is, the shape of a real
// browser UA, automation/library tokens, character statistics and isbot's verdict (KnownBotPatterns). Bounded: only
// the first MaxScannedChars are looked at, so a 16 KB user agent costs what a 1 KB one does. A pure function with no
// state: the answers are cached per string by the UserAgentCache each FeatureExtractor holds (the gateway's is one
// injected instance).
public static class UserAgentAnalyzer
{
    public const int MaxScannedChars = 1024;

    // Newest major version per family in the user-agents corpus (data/corpora, user-agents@2.1.198);
    // a unit test checks no corpus entry is newer. Staleness = newest - major, never below 0.
    private static readonly int[] NewestMajor = CreateNewestMajor();

    // Tokens of HTTP libraries, command-line clients and automation frameworks (case-insensitive).
    private static readonly string[] AutomationTokens =
    [
        "curl/", "wget/", "python-requests", "python-urllib", "python-httpx", "aiohttp", "httpx/", "go-http-client",
        "okhttp", "java/", "apache-httpclient", "node-fetch", "axios/", "undici", "libwww-perl", "postmanruntime",
        "insomnia/", "scrapy", "selenium", "puppeteer", "playwright", "phantomjs", "headlesschrome", "httpclient",
        "winhttp", "guzzlehttp", "ruby", "mechanize", "httpie", "powershell", "libcurl", "restsharp", "dart:io",
        "reqwest", "hackney", "zgrab", "masscan", "nmap", "sqlmap", "nikto", "hydra",
    ];

    // Not Electron: desktop apps people use every day (chat, notes, editors) embed it and log in with it.
    private static readonly string[] HeadlessTokens = ["headless", "phantomjs", "slimerjs"];

    private static readonly string[] BotWords = ["bot", "spider", "crawl", "slurp", "scrap", "archiver", "preview", "monitor", "checker"];

    private static readonly string[] PlatformTokens = ["Windows NT", "Macintosh", "X11", "Linux", "Android", "iPhone", "iPad", "CrOS", "iPod"];

    public static int NewestMajorOf(BrowserFamily family) => NewestMajor[(int)family];

    public static UserAgentInfo Analyze(string? userAgent) => string.IsNullOrEmpty(userAgent) ? default : AnalyzeUncached(userAgent);

    private static UserAgentInfo AnalyzeUncached(string userAgent)
    {
        var ua = userAgent.AsSpan(0, Math.Min(userAgent.Length, MaxScannedChars));
        var (family, major) = DetectFamily(ua);
        var iosMajor = IosMajor(ua);
        if (family == BrowserFamily.IosWebView)
        {
            major = iosMajor;
        }

        var staleness = family == BrowserFamily.None || major <= 0 ? -1 : Math.Max(0, NewestMajor[(int)family] - major);
        var mobile = ua.Contains("Mobile", StringComparison.Ordinal) || ua.Contains("Android", StringComparison.Ordinal) || iosMajor > 0;
        var (entropy, nonPrintable) = CharacterStatistics(ua);

        return new UserAgentInfo(
            family,
            major,
            staleness,
            mobile,
            iosMajor,
            BrowserStructure(ua),
            ContainsAny(ua, AutomationTokens),
            ContainsAny(ua, HeadlessTokens),
            ContainsAny(ua, BotWords),
            ua.Contains("http://", StringComparison.OrdinalIgnoreCase) || ua.Contains("https://", StringComparison.OrdinalIgnoreCase)
                || ua.Contains("www.", StringComparison.OrdinalIgnoreCase) || ua.Contains('@'),
            entropy,
            nonPrintable,
            userAgent.Length,
            KnownBotPatterns.IsMatch(ua));
    }

    // 0-4: "Mozilla/5.0 (" prefix, a known platform inside the first parentheses, a rendering engine token, a
    // browser name/version token after it.
    private static int BrowserStructure(ReadOnlySpan<char> ua)
    {
        if (!ua.StartsWith("Mozilla/5.0 (", StringComparison.Ordinal))
        {
            return 0;
        }

        var score = 1;
        var close = ua.IndexOf(')');
        if (close > 0)
        {
            var platform = ua[13..close];
            foreach (var token in PlatformTokens)
            {
                if (platform.Contains(token, StringComparison.Ordinal))
                {
                    score++;
                    break;
                }
            }

            var rest = ua[close..];
            if (rest.Contains("AppleWebKit/", StringComparison.Ordinal) || rest.Contains("Gecko/", StringComparison.Ordinal))
            {
                score++;
                // Mobile/: iOS web views; a bare "(KHTML, like Gecko)" at the end: a macOS app's web view.
                if (rest.Contains("Safari/", StringComparison.Ordinal) || rest.Contains("Firefox/", StringComparison.Ordinal) || rest.Contains("Mobile/", StringComparison.Ordinal)
                    || rest.EndsWith("(KHTML, like Gecko)", StringComparison.Ordinal))
                {
                    score++;
                }
            }
        }

        return score;
    }

    private static (BrowserFamily Family, int Major) DetectFamily(ReadOnlySpan<char> ua)
    {
        // Order matters: Chromium-based browsers also carry "Chrome/", iOS browsers also carry "Safari/".
        if (TryVersion(ua, "EdgiOS/", out var v) || TryVersion(ua, "EdgA/", out v) || TryVersion(ua, "Edg/", out v) || TryVersion(ua, "Edge/", out v))
        {
            return (BrowserFamily.Edge, v);
        }

        if (TryVersion(ua, "OPR/", out v) || TryVersion(ua, "OPiOS/", out v))
        {
            return (BrowserFamily.Opera, v);
        }

        if (TryVersion(ua, "SamsungBrowser/", out v))
        {
            return (BrowserFamily.SamsungInternet, v);
        }

        if (TryVersion(ua, "YaBrowser/", out v))
        {
            return (BrowserFamily.Yandex, v);
        }

        if (TryVersion(ua, "UCBrowser/", out v))
        {
            return (BrowserFamily.UcBrowser, v);
        }

        if (TryVersion(ua, "Vivaldi/", out v))
        {
            return (BrowserFamily.Vivaldi, v);
        }

        if (TryVersion(ua, "FxiOS/", out v))
        {
            return (BrowserFamily.FirefoxIos, v);
        }

        if (TryVersion(ua, "Firefox/", out v))
        {
            return (BrowserFamily.Firefox, v);
        }

        if (TryVersion(ua, "CriOS/", out v))
        {
            return (BrowserFamily.ChromeIos, v);
        }

        if (TryVersion(ua, "GSA/", out v))
        {
            return (BrowserFamily.GoogleApp, v);
        }

        if (TryVersion(ua, "Chrome/", out v) || TryVersion(ua, "Chromium/", out v))
        {
            return (BrowserFamily.Chrome, v);
        }

        if (ua.Contains("Safari/", StringComparison.Ordinal) && TryVersion(ua, "Version/", out v))
        {
            return (BrowserFamily.Safari, v);
        }

        if (ua.StartsWith("Mozilla/5.0 (", StringComparison.Ordinal) && ua.Contains("AppleWebKit/", StringComparison.Ordinal)
            && ((ua.Contains("Mobile/", StringComparison.Ordinal) && (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPad", StringComparison.Ordinal)))
                || (ua.StartsWith("Mozilla/5.0 (Macintosh;", StringComparison.Ordinal) && ua.EndsWith("(KHTML, like Gecko)", StringComparison.Ordinal))))
        {
            // An app's embedded WebKit view (WKWebView) on iOS or macOS: the system's user agent without Safari's tokens.
            return (BrowserFamily.IosWebView, 0);
        }

        return (BrowserFamily.None, 0);
    }

    // "CPU iPhone OS 18_7 like Mac OS X" / "CPU OS 17_4 like Mac OS X" -> 18 / 17; 0 when not iOS.
    private static int IosMajor(ReadOnlySpan<char> ua)
    {
        if (!ua.Contains("iPhone", StringComparison.Ordinal) && !ua.Contains("iPad", StringComparison.Ordinal) && !ua.Contains("iPod", StringComparison.Ordinal))
        {
            return 0;
        }

        var at = ua.IndexOf(" OS ", StringComparison.Ordinal);
        return at < 0 ? 0 : LeadingNumber(ua[(at + 4)..]);
    }

    private static bool TryVersion(ReadOnlySpan<char> ua, string token, out int major)
    {
        var at = ua.IndexOf(token, StringComparison.Ordinal);
        if (at < 0)
        {
            major = 0;
            return false;
        }

        major = LeadingNumber(ua[(at + token.Length)..]);
        return true;
    }

    private static int LeadingNumber(ReadOnlySpan<char> text)
    {
        var value = 0;
        for (var i = 0; i < text.Length && i < 6 && char.IsAsciiDigit(text[i]); i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }

    private static bool ContainsAny(ReadOnlySpan<char> ua, string[] tokens)
    {
        foreach (var token in tokens)
        {
            if (ua.Contains(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Shannon entropy (bits) over six character classes: lower, upper, digit, space, punctuation, other.
    private static (float Entropy, int NonPrintable) CharacterStatistics(ReadOnlySpan<char> ua)
    {
        Span<int> classes = stackalloc int[6];
        var nonPrintable = 0;
        foreach (var c in ua)
        {
            var k = char.IsAsciiLetterLower(c) ? 0 : char.IsAsciiLetterUpper(c) ? 1 : char.IsAsciiDigit(c) ? 2 : c == ' ' ? 3 : c is > ' ' and < '\u007f' ? 4 : 5;
            classes[k]++;
            // Control characters only: a Latin-1 or other non-ASCII letter ("Versão" in an Android build name) is
            // printable text a real browser sends.
            if (char.IsControl(c))
            {
                nonPrintable++;
            }
        }

        double entropy = 0;
        foreach (var n in classes)
        {
            if (n > 0)
            {
                var p = (double)n / ua.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        return ((float)entropy, nonPrintable);
    }

    private static int[] CreateNewestMajor()
    {
        var table = new int[Enum.GetValues<BrowserFamily>().Length];
        table[(int)BrowserFamily.Chrome] = 155;
        table[(int)BrowserFamily.ChromeIos] = 154;
        table[(int)BrowserFamily.Safari] = 27;
        table[(int)BrowserFamily.IosWebView] = 27;
        table[(int)BrowserFamily.GoogleApp] = 440;
        table[(int)BrowserFamily.Edge] = 154;
        table[(int)BrowserFamily.Firefox] = 156;
        table[(int)BrowserFamily.FirefoxIos] = 157;
        table[(int)BrowserFamily.SamsungInternet] = 30;
        table[(int)BrowserFamily.Opera] = 136;
        table[(int)BrowserFamily.Yandex] = 26;
        table[(int)BrowserFamily.UcBrowser] = 17;
        table[(int)BrowserFamily.Vivaldi] = 7;
        return table;
    }
}
