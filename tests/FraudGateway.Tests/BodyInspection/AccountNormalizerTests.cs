using FraudGateway.BodyInspection;

namespace FraudGateway.Tests.BodyInspection;

public class AccountNormalizerTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("  ALICE ", "alice")]
    [InlineData("ＡＬＩＣＥ", "alice")]
    [InlineData("Alice@Example.COM", "alice@example.com")]
    [InlineData("ﬁona", "fiona")]
    [InlineData("Straße", "straße")]
    [InlineData("a.b+tag@gmail.com", "a.b+tag@gmail.com")]
    public void Normalize_SameAccountTypedDifferently_IsOneIdentifier(string raw, string expected)
    {
        Assert.Equal(expected, AccountNormalizer.Normalize(raw));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Normalize_Nothing_IsNull(string? raw)
    {
        Assert.Null(AccountNormalizer.Normalize(raw));
    }

    [Fact]
    public void Normalize_LoneSurrogateAndHugeInput_AreHandled()
    {
        Assert.Equal("a\ud800", AccountNormalizer.Normalize("A\ud800"));
        Assert.Equal(AccountNormalizer.MaxAccountChars, AccountNormalizer.Normalize(new string('x', 10_000))!.Length);
    }

    [Theory]
    [InlineData("alice@example.com", "example.com")]
    [InlineData("alice", null)]
    [InlineData("alice@", null)]
    public void EmailDomain_TakesWhatFollowsTheLastAt(string email, string? domain)
    {
        Assert.Equal(domain, AccountNormalizer.EmailDomain(email));
    }
}
