using System.Net;
using System.Net.Sockets;

namespace FraudGateway.Model;

// Turns one request's facts into the feature vector. The only place features are computed: the gateway calls it
// per request, the trainer per record. No allocations beyond the user-agent analysis (cached per user-agent string).
public sealed class FeatureExtractor(IpLists ipLists, UserAgentCache? userAgents = null)
{
    public IpLists IpLists { get; } = ipLists;

    // The user-agent analysis cache this extractor reads through (its own unless one is given).
    public UserAgentCache UserAgents { get; } = userAgents ?? new UserAgentCache();

    public float[] Extract(RequestFacts facts)
    {
        var vector = new float[FeatureSchema.Count];
        Extract(facts, vector);
        return vector;
    }

    public void Extract(RequestFacts facts, Span<float> v)
    {
        if (v.Length != FeatureSchema.Count)
        {
            throw new ArgumentException($"The feature vector has {FeatureSchema.Count} slots, not {v.Length}.", nameof(v));
        }

        var ua = UserAgents.Analyze(facts.UserAgent);
        v[FeatureSchema.UaMissing] = string.IsNullOrWhiteSpace(facts.UserAgent) ? 1 : 0;
        v[FeatureSchema.UaLength] = ua.Length;
        v[FeatureSchema.UaBrowserStructure] = ua.BrowserStructure;
        v[FeatureSchema.UaKnownBrowser] = ua.Family == BrowserFamily.None ? 0 : 1;
        v[FeatureSchema.UaMajorVersion] = ua.MajorVersion;
        v[FeatureSchema.UaVersionStaleness] = ua.Staleness;
        v[FeatureSchema.UaMobile] = ua.Mobile ? 1 : 0;
        v[FeatureSchema.UaAutomationToken] = ua.AutomationToken ? 1 : 0;
        v[FeatureSchema.UaHeadless] = ua.Headless ? 1 : 0;
        v[FeatureSchema.UaBotWord] = ua.BotWord ? 1 : 0;
        v[FeatureSchema.UaHasUrl] = ua.HasUrl ? 1 : 0;
        v[FeatureSchema.UaCharClassEntropy] = ua.CharClassEntropy;
        v[FeatureSchema.UaNonPrintable] = ua.NonPrintable;
        v[FeatureSchema.UaKnownBot] = ua.KnownBot ? 1 : 0;

        v[FeatureSchema.HeaderAccept] = Present(facts.Accept);
        v[FeatureSchema.HeaderAcceptLanguage] = Present(facts.AcceptLanguage);
        v[FeatureSchema.HeaderAcceptEncoding] = Present(facts.AcceptEncoding);
        var secFetch = Present(facts.SecFetchSite) + Present(facts.SecFetchMode) + Present(facts.SecFetchDest);
        var expected = SecFetchExpected(ua);
        v[FeatureSchema.SecFetchCount] = secFetch;
        v[FeatureSchema.SecFetchExpected] = expected ? 1 : 0;
        v[FeatureSchema.SecFetchMismatch] = (expected && secFetch == 0) || (ua.Family == BrowserFamily.None && secFetch > 0) ? 1 : 0;
        var hints = !string.IsNullOrWhiteSpace(facts.SecChUa);
        v[FeatureSchema.ClientHintsPresent] = hints ? 1 : 0;
        v[FeatureSchema.ClientHintsMismatch] = hints && ClientHintsDisagree(ua, facts.SecChUa!) ? 1 : 0;
        v[FeatureSchema.Method] = MethodCode(facts.Method);
        v[FeatureSchema.ContentType] = ContentTypeCode(facts.ContentType);
        v[FeatureSchema.BodyLength] = facts.BodyLength < 0 ? -1 : facts.BodyLength;

        var ip = facts.Ip is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : facts.Ip;
        v[FeatureSchema.IpVersion] = ip is null ? 0 : ip.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;
        v[FeatureSchema.IpPrivate] = ip is not null && IsPrivateOrReserved(ip) ? 1 : 0;
        v[FeatureSchema.IpDatacenter] = InList(IpLists.Datacenter, ip);
        v[FeatureSchema.IpTor] = InList(IpLists.Tor, ip);
        v[FeatureSchema.IpVpn] = InList(IpLists.Vpn, ip);

        // No absolute clock: facts.Timestamp only orders requests (arrival history); the hour of a person's login
        // is not evidence against them, whatever the site's time zone.
        v[FeatureSchema.SecondsSincePrevious] = (float)facts.SecondsSincePrevious;
        v[FeatureSchema.InterArrivalCv] = (float)facts.InterArrivalCv;

        for (var slot = FeatureSchema.RequestsPerIpMinute; slot <= FeatureSchema.DistinctIpsPerAccount; slot++)
        {
            v[slot] = facts.GetCounter(slot);
        }

        v[FeatureSchema.EmailDisposable] = facts.EmailDisposable;
        v[FeatureSchema.MessageLinks] = facts.MessageLinks;
        v[FeatureSchema.FormFillSeconds] = (float)facts.FormFillSeconds;
    }

    // Would this browser send Sec-Fetch-* on a fetch/form request? Chromium 76+, Firefox 90+, Safari and every
    // iOS browser (all WebKit) from iOS / Safari 16.4, counted here as 17+.
    public static bool SecFetchExpected(in UserAgentInfo ua)
    {
        if (ua.Family == BrowserFamily.None)
        {
            return false;
        }

        if (ua.IsIos)
        {
            return ua.IosMajor >= 17;
        }

        return ua.Family switch
        {
            BrowserFamily.Firefox => ua.MajorVersion >= 90,
            BrowserFamily.Safari => ua.MajorVersion >= 17,
            BrowserFamily.SamsungInternet => ua.MajorVersion >= 12,
            BrowserFamily.Opera => ua.MajorVersion >= 63,
            BrowserFamily.Yandex => ua.MajorVersion >= 20,
            _ when ua.IsChromium => ua.MajorVersion >= 76,
            _ => false,
        };
    }

    // Client hints from something that is not a Chromium browser, or a Chrome/Edge whose hinted major version
    // differs from the one in its user agent.
    private static bool ClientHintsDisagree(in UserAgentInfo ua, string secChUa)
    {
        if (!ua.IsChromium || ua.IsIos)
        {
            return true;
        }

        if (ua.Family is not (BrowserFamily.Chrome or BrowserFamily.Edge))
        {
            return false;
        }

        var hint = secChUa.AsSpan();
        var at = hint.IndexOf("Chromium\";v=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        hint = hint[(at + 13)..];
        var major = 0;
        for (var i = 0; i < hint.Length && i < 6 && char.IsAsciiDigit(hint[i]); i++)
        {
            major = (major * 10) + (hint[i] - '0');
        }

        return major != ua.MajorVersion;
    }

    // -1 when the operator configured no such list: an address not on a list nobody loaded is not evidence.
    private static float InList(IpRangeList? list, IPAddress? ip) => list is null ? -1 : list.Contains(ip) ? 1 : 0;

    private static float Present(string? value) => string.IsNullOrWhiteSpace(value) ? 0 : 1;

    private static float MethodCode(string? method) => method switch
    {
        "GET" or "get" => 0,
        "POST" or "post" => 1,
        "PUT" or "put" => 2,
        _ => 3,
    };

    // 0 none, 1 JSON, 2 urlencoded form, 3 multipart, 4 text, 5 other.
    private static float ContentTypeCode(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return 0;
        }

        var type = contentType.AsSpan().Trim();
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return 2;
        }

        if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return 3;
        }

        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ? 4 : 5;
    }

    // Loopback, RFC 1918, CGNAT (100.64/10), link-local, documentation, multicast and reserved ranges; IPv6
    // loopback, unique-local, link-local, documentation and multicast.
    public static bool IsPrivateOrReserved(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            ip.TryWriteBytes(b, out _);
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113);
        }

        if (IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || ip.IsIPv6UniqueLocal)
        {
            return true;
        }

        Span<byte> v6 = stackalloc byte[16];
        ip.TryWriteBytes(v6, out _);
        return (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) || ip.Equals(IPAddress.IPv6Any);
    }
}
