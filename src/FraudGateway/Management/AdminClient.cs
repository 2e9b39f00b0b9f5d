using System.Net;
using FraudGateway.BodyInspection;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;

namespace FraudGateway.Management;

// A client named by an admin call (an address, an account) as the request path would see it, so the same builder
// makes the same store keys: lifting a limit, checking a subject's limits. Under every HMAC key still valid.
internal static class AdminClient
{
    public static FraudGatewayFeature Feature(GatewayPolicy policy, string routeId, IPAddress address, string? normalizedAccount,
        ClientIdentitySettings identity, SubjectHasher hasher, DateTimeOffset now)
    {
        var feature = new FraudGatewayFeature(policy, routeId);
        feature.SetClient(new ClientIdentity
        {
            Address = address,
            PeerAddress = address,
            Prefix = address.ToPrefix(identity.Ipv4PrefixLength, identity.Ipv6PrefixLength),
            UserAgent = "",
            RequestTime = now,
        }, hasher);
        feature.Body = new InspectedBody
        {
            AccountId = normalizedAccount is null ? null : hasher.Hash("account", normalizedAccount),
            PreviousAccountIds = feature.PreviousKeys.Select(p => normalizedAccount is null ? null : p.Key.Hash("account", normalizedAccount)).ToArray(),
        };
        return feature;
    }
}
