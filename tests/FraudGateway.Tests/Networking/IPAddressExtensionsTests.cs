using System.Net;
using FraudGateway.Networking;

namespace FraudGateway.Tests.Networking;

public class IPAddressExtensionsTests
{
    [Theory]
    [InlineData("203.0.113.77", 24, 64, "203.0.113.0/24")]
    [InlineData("203.0.113.77", 16, 64, "203.0.0.0/16")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 24, 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 24, 48, "2001:db8:1::/48")]
    public void ToPrefix_GroupsByConfiguredLength(string address, int v4, int v6, string expected)
    {
        Assert.Equal(expected, IPAddress.Parse(address).ToPrefix(v4, v6).ToString());
    }

    [Fact]
    public void Normalize_Ipv4MappedIpv6_BecomesIpv4()
    {
        var mapped = IPAddress.Parse("::ffff:198.51.100.4");
        Assert.Equal(IPAddress.Parse("198.51.100.4"), mapped.Normalize());
    }
}
