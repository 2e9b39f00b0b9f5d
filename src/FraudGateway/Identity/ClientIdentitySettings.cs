using FraudGateway.Networking;

namespace FraudGateway.Identity;

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
