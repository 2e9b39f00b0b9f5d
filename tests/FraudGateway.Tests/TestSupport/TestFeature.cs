using System.Net;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.State;

namespace FraudGateway.Tests.TestSupport;

public static class TestFeature
{
    private static readonly SubjectHasher DefaultHasher = new("test-feature-key-0123456789abcdef0123");

    // A feature as the identity stage leaves it; hasher: the one the test's stages and store entries use.
    public static FraudGatewayFeature For(GatewayPolicy policy, string ip, string routeId = "auth", SubjectHasher? hasher = null, string? ja4 = null)
    {
        var address = IPAddress.Parse(ip);
        var identity = new ClientIdentity { Address = address, PeerAddress = address, Prefix = address.ToPrefix(24, 64), UserAgent = "", Ja4 = ja4 };
        return new FraudGatewayFeature(policy, routeId)
        {
            Identity = identity,
            AddressSubject = BanSubject.ForAddress(identity.Address, hasher ?? DefaultHasher),
            PrefixSubject = BanSubject.ForPrefix(identity.Prefix, hasher ?? DefaultHasher),
        };
    }
}
