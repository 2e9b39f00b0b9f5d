using FraudGateway.State;

namespace FraudGateway.Tests.State;

public class BanSubjectTests
{
    [Fact]
    public void TryParseToken_RoundTripsTheToken()
    {
        var subject = new BanSubject(BanSubjectKind.Prefix, new string('a', 32));

        Assert.True(BanSubject.TryParseToken(subject.Token, out var parsed));
        Assert.Equal(subject, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("i:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("i:aaaa")]
    [InlineData("i:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}")]
    public void TryParseToken_Garbage_IsRefused(string token)
    {
        Assert.False(BanSubject.TryParseToken(token, out _));
    }

    [Fact]
    public void StoreKeys_BanKey_CarriesTheSubjectAsHashTag()
    {
        var subject = new BanSubject(BanSubjectKind.Address, new string('b', 32));

        Assert.Equal("fg:{i:" + new string('b', 32) + "}:ban", (string)new StoreKeys("fg").Ban(subject)!);
        Assert.Equal("fg:{bans}:index", (string)new StoreKeys("fg").BanIndex!);
    }

    [Fact]
    public void LuaScripts_EveryScriptIsEmbedded()
    {
        foreach (var name in LuaScripts.Names)
        {
            Assert.Contains("KEYS[", LuaScripts.ReadSource(name));
        }
    }
}
