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
