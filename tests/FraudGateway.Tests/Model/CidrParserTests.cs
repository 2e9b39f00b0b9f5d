using System.Net;
using FraudGateway.Model;
using FraudGateway.Networking;

namespace FraudGateway.Tests.Model;

public class CidrParserTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    [InlineData(" 2001:db8::/32 ", "2001:db8::/32")]
    [InlineData("::1", "::1/128")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1/32")]
    public void TryParse_ValidEntry_ReturnsNetwork(string text, string expected)
    {
        Assert.True(CidrParser.TryParse(text, out var network, out var error), error);
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("not-an-ip", "is not an IP address")]
    [InlineData("10.0.0.0/33", "invalid prefix length")]
    [InlineData("10.0.0.0/-1", "invalid prefix length")]
    [InlineData("10.0.0.1/8", "host bits set; did you mean '10.0.0.0/8'")]
    [InlineData("fe80::1%eth0", "is not an IP address")]
    public void TryParse_InvalidEntry_ExplainsWhy(string text, string expectedError)
    {
        Assert.False(CidrParser.TryParse(text, out _, out var error));
        Assert.Contains(expectedError, error);
    }

    [Fact]
    public void CidrSetParse_SeveralBadEntries_ReportsEachWithItsPath()
    {
        var errors = new List<string>();
        var set = CidrSet.Parse(["192.0.2.0/24", "bogus", "10.0.0.1/8"], "X:Deny", errors);

        Assert.Equal(1, set.Count);
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("X:Deny:1:", errors[0]);
        Assert.StartsWith("X:Deny:2:", errors[1]);
        Assert.True(set.Contains(IPAddress.Parse("192.0.2.77")));
        Assert.False(set.Contains(IPAddress.Parse("192.0.3.1")));
    }

    // Third-party list files (the model's address lists) are not written by the operator: a network with host bits
    // set is taken as its network there, as before the parsers were one.
    [Fact]
    public void TryParse_ClearHostBits_TakesTheNetwork()
    {
        Assert.True(CidrParser.TryParse("10.0.0.1/8", out var network, out var error, clearHostBits: true), error);
        Assert.Equal("10.0.0.0/8", network.ToString());
        Assert.True(IpRangeList.Parse(["192.0.2.77/24"], "list.txt", new List<string>()).Contains(IPAddress.Parse("192.0.2.1")));
    }
}
