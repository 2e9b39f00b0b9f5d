using System.Net;
using FraudGateway.Networking;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FraudGateway.Identity;

internal static class ClientIdentityResolver
{
    // Walks X-Forwarded-For right to left. Each proxy appends the address it received the request from,
    // so the rightmost entry was written by our peer; we believe it only if the peer is trusted, and keep
    // going left only while the address we just believed is itself a trusted proxy. Everything further left
    // was written by the client and is ignored: that is what stops spoofing.
    public static ClientIdentity Resolve(HttpContext context, ClientIdentitySettings settings, DateTimeOffset now)
    {
        var peer = (context.Connection.RemoteIpAddress ?? IPAddress.IPv6None).Normalize();
        var client = peer;
        var hops = 0;
        var malformed = false;

        if (settings.TrustedProxies.Contains(peer))
        {
            var values = context.Request.Headers[settings.ForwardedForHeader];
            var walking = true;
            for (var v = values.Count - 1; v >= 0 && walking; v--)
            {
                var header = values[v].AsSpan();
                while (walking && header.Length > 0)
                {
                    var comma = header.LastIndexOf(',');
                    var entry = header[(comma + 1)..].Trim();
                    header = comma < 0 ? [] : header[..comma];
                    if (entry.IsEmpty)
                    {
                        continue;
                    }

                    if (!TryParseForwardedEntry(entry, out var hop))
                    {
                        malformed = true;
                        walking = false;
                        break;
                    }

                    client = hop;
                    hops++;
                    walking = hops < settings.MaxForwardedHops && settings.TrustedProxies.Contains(hop);
                }
            }
        }

        var (ja4, software, ja4Ignored) = Ja4Of(context, settings, peer);
        var userAgent = context.Request.Headers[HeaderNames.UserAgent];
        var agent = userAgent.Count == 0 ? "" : userAgent.Count == 1 ? userAgent[0] ?? "" : string.Join(", ", (IEnumerable<string?>)userAgent);
        var truncated = agent.Length > settings.MaxUserAgentChars;

        return new ClientIdentity
        {
            Address = client,
            Prefix = client.ToPrefix(settings.Ipv4PrefixLength, settings.Ipv6PrefixLength),
            PeerAddress = peer,
            ForwardedHops = hops,
            ForwardedForMalformed = malformed,
            UserAgent = truncated ? agent[..settings.MaxUserAgentChars] : agent,
            UserAgentTruncated = truncated,
            RequestTime = now,
            Ja4 = ja4,
            SoftwareJa4 = software,
            Ja4HeaderIgnored = ja4Ignored,
        };
    }

    // The connection's own fingerprint when the gateway terminated TLS; otherwise the configured front-end header, from
    // a trusted proxy only and only in JA4's shape (anything else is ignored and flagged).
    private static (string? Ja4, string? Software, bool Ignored) Ja4Of(HttpContext context, ClientIdentitySettings settings, IPAddress peer)
    {
        if (Tls.TlsFingerprint.Of(context) is { } tls)
        {
            return (tls.Ja4, tls.SoftwareJa4, false);
        }

        if (settings.Ja4Header.Length == 0 || !context.Request.Headers.TryGetValue(settings.Ja4Header, out var header))
        {
            return (null, null, false);
        }

        var value = header.Count == 1 ? header[0] : null;
        return settings.TrustedProxies.Contains(peer) && value is not null && Tls.TlsFingerprint.IsWellFormed(value) ? (value, value, false) : (null, null, true);
    }

    // Accepts "203.0.113.7", "203.0.113.7:4711", "2001:db8::1", "[2001:db8::1]:4711".
    // "unknown", obfuscated identifiers (RFC 7239 "_hidden") and anything else are not addresses.
    internal static bool TryParseForwardedEntry(ReadOnlySpan<char> entry, out IPAddress address)
    {
        address = IPAddress.None;
        if (entry.Length is 0 or > 64 || entry.Contains('%'))
        {
            return false;
        }

        // IPAddress.TryParse also takes legacy IPv4 forms ("10.1", "167772161"); a proxy never writes those.
        var colons = entry.Count(':');
        if (colons <= 1 && entry[..(colons == 0 ? entry.Length : entry.IndexOf(':'))].Count('.') != 3)
        {
            return false;
        }

        if (IPAddress.TryParse(entry, out var plain))
        {
            address = plain.Normalize();
            return true;
        }

        if (IPEndPoint.TryParse(entry, out var endpoint))
        {
            address = endpoint.Address.Normalize();
            return true;
        }

        return false;
    }
}
