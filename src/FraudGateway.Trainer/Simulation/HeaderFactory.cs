using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// Builds request headers the way clients really send them on a login / form POST.
public static class HeaderFactory
{
    private static readonly string[] Languages =
    [
        "en-US,en;q=0.9", "en-GB,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9,en;q=0.8", "es-ES,es;q=0.9",
        "pt-BR,pt;q=0.9,en-US;q=0.8", "ja-JP,ja;q=0.9", "nl-NL,nl;q=0.9,en;q=0.8", "pl-PL,pl;q=0.9", "en-US",
        "it-IT,it;q=0.9,en;q=0.8", "zh-CN,zh;q=0.9", "ko-KR,ko;q=0.9,en;q=0.8", "tr-TR,tr;q=0.9", "en",
    ];

    // A real browser's fetch()/form POST: Accept, Accept-Language, Accept-Encoding always; Sec-Fetch-* from the
    // versions that send them; client hints from Chromium on a secure context (most, not all, deployments).
    public static ClientHeaders Browser(string userAgent, Random random, bool jsonBody)
    {
        var ua = UserAgentAnalyzer.Analyze(userAgent);
        var secFetch = FeatureExtractor.SecFetchExpected(ua);
        var hints = ua.IsChromium && !ua.IsIos && ua.MajorVersion >= 90 && random.NextDouble() < 0.85;
        var count = 7 + (secFetch ? 3 : 0) + (hints ? 3 : 0) + random.Next(0, 4); // host, origin, referer, cookie, connection...
        return new ClientHeaders(
            userAgent,
            jsonBody ? "application/json, text/plain, */*" : "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            Languages[random.Next(Languages.Length)],
            ua.MajorVersion >= 120 && ua.IsChromium ? "gzip, deflate, br, zstd" : "gzip, deflate, br",
            secFetch ? "same-origin" : null,
            secFetch ? (jsonBody ? "cors" : "navigate") : null,
            secFetch ? (jsonBody ? "empty" : "document") : null,
            hints ? ClientHintsFor(ua) : null,
            jsonBody ? "application/json" : "application/x-www-form-urlencoded",
            count);
    }

    // An HTTP library or tool with its own user agent: few headers, no browser metadata.
    public static ClientHeaders Script(string? userAgent, Random random, bool jsonBody) => new(
        userAgent,
        random.NextDouble() < 0.7 ? "*/*" : (jsonBody ? "application/json" : null),
        random.NextDouble() < 0.1 ? "en-US" : null,
        random.NextDouble() < 0.6 ? "gzip, deflate" : null,
        null,
        null,
        null,
        null,
        jsonBody ? "application/json" : "application/x-www-form-urlencoded",
        3 + random.Next(0, 4));

    // A script that copies a real browser's user agent but not (all of) its other headers.
    public static ClientHeaders Spoofed(string browserUserAgent, Random random, bool jsonBody, double completeness)
    {
        var full = Browser(browserUserAgent, random, jsonBody);
        return full with
        {
            AcceptLanguage = random.NextDouble() < completeness ? full.AcceptLanguage : null,
            SecFetchSite = random.NextDouble() < completeness ? full.SecFetchSite : null,
            SecFetchMode = random.NextDouble() < completeness ? full.SecFetchMode : null,
            SecFetchDest = random.NextDouble() < completeness ? full.SecFetchDest : null,
            SecChUa = random.NextDouble() < completeness * 0.7 ? full.SecChUa : null,
            HeaderCount = Math.Max(3, full.HeaderCount - random.Next(0, 7)),
        };
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
