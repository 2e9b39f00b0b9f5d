using FraudGateway.Privacy;

namespace FraudGateway.Tests.Privacy;

public class SubjectHasherTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Hash_SameKeyAndValue_IsStableAndHidesTheValue()
    {
        var a = new SubjectHasher(Key).Hash("ip", "203.0.113.7");
        var b = new SubjectHasher(Key).Hash("ip", "203.0.113.7");

        Assert.Equal(a, b);
        Assert.Equal(32, a.Length);
        Assert.DoesNotContain("203", a);
    }

    [Fact]
    public void Hash_IsTheKeyedHmacSha256OfKindAndValue_OnEveryCallAndThread()
    {
        var hasher = new SubjectHasher(Key);
        string Expected(string value) => Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Key), System.Text.Encoding.UTF8.GetBytes("ip|" + value))[..16]);

        // The HMAC context is reused per thread: each answer must still depend on its own input only.
        Assert.Equal(Expected("203.0.113.7"), hasher.Hash("ip", "203.0.113.7"));
        Assert.Equal(Expected("203.0.113.8"), hasher.Hash("ip", "203.0.113.8"));
        Parallel.For(0, 2000, i => Assert.Equal(Expected("10.0." + (i % 7) + "." + i % 250), hasher.Hash("ip", "10.0." + (i % 7) + "." + i % 250)));
    }

    [Fact]
    public void Hash_DifferentKey_GivesDifferentIdentifier()
    {
        Assert.NotEqual(new SubjectHasher(Key).Hash("ip", "203.0.113.7"), new SubjectHasher(Key + "x").Hash("ip", "203.0.113.7"));
    }

    [Fact]
    public void Hash_DifferentKind_GivesDifferentIdentifier()
    {
        var hasher = new SubjectHasher(Key);
        Assert.NotEqual(hasher.Hash("ip", "10.0.0.1"), hasher.Hash("account", "10.0.0.1"));
    }

    [Fact]
    public void Hash_LongValue_DoesNotOverflowTheStackBuffer()
    {
        var hasher = new SubjectHasher(Key);
        Assert.Equal(32, hasher.Hash("account", new string('x', 5000)).Length);
    }

    [Fact]
    public void CreateEphemeral_IsMarkedAndRandom()
    {
        var first = SubjectHasher.CreateEphemeral();
        Assert.True(first.IsEphemeral);
        Assert.NotEqual(first.Hash("ip", "1.1.1.1"), SubjectHasher.CreateEphemeral().Hash("ip", "1.1.1.1"));
    }
}
