using FraudGateway.Networking;

namespace FraudGateway.Identity;

/// <summary>
/// The Identity section after validation: whose forwarding headers are believed (trusted proxies, the header, the
/// hops read), the prefix lengths a client's network is counted by, the user agent's length, and the JA4 headers.
/// </summary>
public sealed class ClientIdentitySettings
{
    public required CidrSet TrustedProxies { get; init; }

    public required string ForwardedForHeader { get; init; }

    public int MaxForwardedHops { get; init; }

    public int Ipv4PrefixLength { get; init; }

    public int Ipv6PrefixLength { get; init; }

    public int MaxUserAgentChars { get; init; }

    public string Ja4Header { get; init; } = "";

    public string Ja4UpstreamHeader { get; init; } = "";
}
