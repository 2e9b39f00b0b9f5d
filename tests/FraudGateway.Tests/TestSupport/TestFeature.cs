using System.Net;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;

namespace FraudGateway.Tests.TestSupport;

public static class TestFeature
{
    public static FraudGatewayFeature For(GatewayPolicy policy, string ip, string routeId = "auth")
    {
        var address = IPAddress.Parse(ip);
        return new FraudGatewayFeature(policy, routeId)
        {
            Identity = new ClientIdentity { Address = address, PeerAddress = address, Prefix = address.ToPrefix(24, 64), UserAgent = "" },
        };
    }
}
