using FraudGateway.Management;
using FraudGateway.Privacy;
using FraudGateway.State;
using FraudGateway.Tests.TestSupport;

namespace FraudGateway.Tests.Management;

public class BanSubjectParserTests
{
    private static readonly SubjectHasher Hasher = new("parser-tests-key-0123456789abcdef0123");
    private static readonly FraudGateway.Identity.ClientIdentitySettings Identity = TestSettings.Provider().Current.Identity;

    [Theory]
    [InlineData("203.0.113.7", BanSubjectKind.Address)]
    [InlineData("203.0.113.0/24", BanSubjectKind.Prefix)]
    [InlineData("2001:db8:1:2::/64", BanSubjectKind.Prefix)]
    [InlineData("2001:db8::5", BanSubjectKind.Address)]
    public void TryParse_AddressOrConfiguredPrefix_Accepted(string text, BanSubjectKind kind)
    {
        Assert.True(BanSubjectParser.TryParse(text, Identity, Hasher, out var subject, out var error), error);
        Assert.Equal(kind, subject.Kind);
    }

    [Theory]
    [InlineData("203.0.0.0/16", "Deny list")]
    [InlineData("garbage", "not an IP address")]
    [InlineData(null, "empty")]
    public void TryParse_OtherInput_ExplainsWhy(string? text, string expected)
    {
        Assert.False(BanSubjectParser.TryParse(text, Identity, Hasher, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("spam from 203.0.113.7", true)]
    [InlineData("range 2001:db8::/64.", true)]
    [InlineData("ticket SEC-1234 at 12:30", false)]
    [InlineData("version 1.2.3 scanner", false)]
    [InlineData("reported by <jane.doe@example.org>", true)]
    [InlineData("per abuse@isp.example.", true)]
    [InlineData("@channel: stuffing wave", false)]
    [InlineData("team@ rotation", false)]
    public void ContainsAddress_FindsAddressesInFreeText(string reason, bool expected)
    {
        Assert.Equal(expected, FraudGateway.Admin.FreeText.ContainsAddress(reason));
    }
}
