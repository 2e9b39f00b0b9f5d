using System.Net;
using FraudGateway.Identity;
using FraudGateway.Networking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FraudGateway.Tests.Identity;

public class ClientIdentityResolverTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static ClientIdentitySettings Settings(params string[] trusted) => new()
    {
        TrustedProxies = CidrSet.Parse(trusted, "test", new List<string>()),
        ForwardedForHeader = "X-Forwarded-For",
        MaxForwardedHops = 8,
        Ipv4PrefixLength = 24,
        Ipv6PrefixLength = 64,
        MaxUserAgentChars = 64,
    };

    private static DefaultHttpContext Request(string peer, params string[] forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor.Length > 0)
        {
            context.Request.Headers["X-Forwarded-For"] = new StringValues(forwardedFor);
        }

        return context;
    }

    [Fact]
    public void Resolve_UntrustedPeer_IgnoresForwardedFor()
    {
        var identity = ClientIdentityResolver.Resolve(Request("198.51.100.20", "10.9.9.9"), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("198.51.100.20"), identity.Address);
        Assert.Equal(0, identity.ForwardedHops);
    }

    [Fact]
    public void Resolve_TrustedPeer_BelievesRightmostEntry()
    {
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.5", "203.0.113.7"), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), identity.Address);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), identity.PeerAddress);
        Assert.Equal(1, identity.ForwardedHops);
    }

    [Fact]
    public void Resolve_ClientSpoofsLeftEntries_StopsAtFirstUntrustedHop()
    {
        // The client sent "1.1.1.1, 10.0.0.9" itself; the trusted proxy appended the real address.
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.5", "1.1.1.1, 10.0.0.9, 203.0.113.7"), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), identity.Address);
    }

    [Fact]
    public void Resolve_ChainOfTrustedProxies_WalksThroughAllOfThem()
    {
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.5", "203.0.113.7, 10.1.1.1", "10.2.2.2"), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), identity.Address);
        Assert.Equal(3, identity.ForwardedHops);
    }

    [Theory]
    [InlineData("203.0.113.7:4711", "203.0.113.7")]
    [InlineData("[2001:db8::7]:443", "2001:db8::7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void Resolve_EntryForms_AreParsedAndNormalised(string entry, string expected)
    {
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.5", entry), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse(expected), identity.Address);
        Assert.False(identity.ForwardedForMalformed);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("10.1")]
    [InlineData("167772161")]
    [InlineData("300.1.1.1")]
    [InlineData("<script>")]
    public void Resolve_MalformedEntry_StopsAtTheTrustedPeerAndFlagsIt(string entry)
    {
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.5", entry), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("10.0.0.5"), identity.Address);
        Assert.True(identity.ForwardedForMalformed);
    }

    [Fact]
    public void Resolve_EmptyEntriesAndWhitespace_AreSkipped()
    {
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.5", " 203.0.113.7 , ,"), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), identity.Address);
        Assert.False(identity.ForwardedForMalformed);
    }

    [Fact]
    public void Resolve_MoreTrustedHopsThanTheLimit_StopsAtTheLimit()
    {
        var hops = Enumerable.Range(1, 20).Select(i => $"10.0.0.{i}").Prepend("203.0.113.7");
        var identity = ClientIdentityResolver.Resolve(Request("10.0.0.250", string.Join(",", hops)), Settings("10.0.0.0/8"), Now);

        Assert.Equal(8, identity.ForwardedHops);
        Assert.Equal(IPAddress.Parse("10.0.0.13"), identity.Address);
    }

    [Fact]
    public void Resolve_MappedPeer_IsNormalisedBeforeTheTrustCheck()
    {
        var identity = ClientIdentityResolver.Resolve(Request("::ffff:10.0.0.5", "203.0.113.7"), Settings("10.0.0.0/8"), Now);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), identity.Address);
    }

    [Fact]
    public void Resolve_Ipv6Client_IsGroupedBySlash64()
    {
        var identity = ClientIdentityResolver.Resolve(Request("2001:db8:aa:bb:1:2:3:4"), Settings(), Now);

        Assert.Equal("2001:db8:aa:bb::/64", identity.Prefix.ToString());
    }

    [Fact]
    public void Resolve_RecordsUserAgentAndRequestTime_TruncatingLongAgents()
    {
        var context = Request("198.51.100.20");
        context.Request.Headers.UserAgent = new string('a', 100);

        var identity = ClientIdentityResolver.Resolve(context, Settings(), Now);

        Assert.Equal(64, identity.UserAgent.Length);
        Assert.True(identity.UserAgentTruncated);
        Assert.Equal(Now, identity.RequestTime);
    }

    [Fact]
    public void Resolve_NoUserAgentNoRemoteAddress_GivesDefinedValues()
    {
        var identity = ClientIdentityResolver.Resolve(new DefaultHttpContext(), Settings(), Now);

        Assert.Equal("", identity.UserAgent);
        Assert.Equal(IPAddress.IPv6None, identity.Address);
    }
}
