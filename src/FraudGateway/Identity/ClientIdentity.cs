using System.Net;

namespace FraudGateway.Identity;

// Who the gateway believes the client is, worked out once per request by ClientIdentityResolver.
public sealed class ClientIdentity
{
    // The client address after walking X-Forwarded-For through trusted proxies; IPv4-mapped IPv6 is unwrapped.
    public required IPAddress Address { get; init; }

    // Address grouped by the configured prefix (/24 and /64 by default): rotating within one block stays one client.
    public required IPNetwork Prefix { get; init; }

    // The TCP peer, which is the client itself unless it is a trusted proxy.
    public required IPAddress PeerAddress { get; init; }

    // How many X-Forwarded-For entries were believed.
    public int ForwardedHops { get; init; }

    // A trusted hop sent an X-Forwarded-For entry that is not an address; the walk stopped there.
    public bool ForwardedForMalformed { get; init; }

    // Empty when the request had none. Cut to MaxUserAgentChars.
    public required string UserAgent { get; init; }

    public bool UserAgentTruncated { get; init; }

    public DateTimeOffset RequestTime { get; init; }

    // The client's TLS fingerprint (JA4): the gateway's own TLS connection's, else a trusted front end's header; null
    // when neither (plain HTTP, an unreadable hello).
    public string? Ja4 { get; init; }

    // The JA4 the client software is recognised by: the connection's without session resumption (TlsFingerprint);
    // the front end's header as it is.
    public string? SoftwareJa4 { get; init; }

    // A JA4 header was sent and not believed: from a peer that is not a trusted proxy, or not in JA4's shape.
    public bool Ja4HeaderIgnored { get; init; }
}
