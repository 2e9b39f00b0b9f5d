using System.Collections.Frozen;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;

namespace FraudGateway.Configuration;

/// <summary>
/// The parsed, validated, immutable form of the reloadable configuration. A reload builds a new one and swaps it in
/// whole, so a request always sees one consistent version.
/// </summary>
public sealed class GatewaySettings
{
    public required ClientIdentitySettings Identity { get; init; }

    public required CidrSet GlobalAllow { get; init; }

    public required CidrSet GlobalDeny { get; init; }

    public required FrozenDictionary<string, GatewayPolicy> Policies { get; init; }
}
