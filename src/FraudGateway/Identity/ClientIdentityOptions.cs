namespace FraudGateway.Identity;

internal sealed class ClientIdentityOptions
{
    /// <summary>
    /// Proxies whose X-Forwarded-For entries are believed. Empty: the TCP peer is the client.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public string ForwardedForHeader { get; set; } = "X-Forwarded-For";

    /// <summary>
    /// How many X-Forwarded-For entries are walked at most, right to left.
    /// </summary>
    public int MaxForwardedHops { get; set; } = 8;

    public int Ipv4PrefixLength { get; set; } = 24;

    public int Ipv6PrefixLength { get; set; } = 64;

    /// <summary>
    /// The user agent is kept for scoring up to this many characters; longer ones are cut and flagged.
    /// </summary>
    public int MaxUserAgentChars { get; set; } = 1024;

    /// <summary>
    /// The header a TLS-terminating front end writes the client's JA4 in (CloudFront: CloudFront-Viewer-JA4-Fingerprint),
    /// believed only from a trusted proxy and only in JA4's exact shape. Empty: none. A connection the gateway
    /// terminates itself uses its own fingerprint.
    /// </summary>
    public string Ja4Header { get; set; } = "";

    /// <summary>
    /// A header the upstream gets the client's JA4 in (for example X-Client-JA4), on every forwarded request that has
    /// one; a client's own is always removed. Empty: none.
    /// </summary>
    public string Ja4UpstreamHeader { get; set; } = "";
}
