using System.Net;
using FraudGateway.Captcha;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Privacy;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Captcha;

public class CaptchaPassTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly SubjectHasher _hasher = new("pass-tests-key-0123456789abcdef0123456789");

    private static ClientIdentity Client(string ip, string agent = "browser/1.0")
    {
        var address = IPAddress.Parse(ip);
        return new ClientIdentity { Address = address, PeerAddress = address, Prefix = address.ToPrefix(24, 64), UserAgent = agent };
    }

    [Fact]
    public void IsValid_SameClientBeforeExpiry_True()
    {
        var passes = new CaptchaPass(_hasher, _time);
        var pass = passes.Issue(Client("203.0.113.7"), TimeSpan.FromMinutes(5));

        Assert.True(passes.IsValid(pass, Client("203.0.113.7")));
        Assert.True(passes.IsValid(pass, Client("203.0.113.99")));
    }

    [Fact]
    public void IsValid_ProofOfWorkPass_AnswersTheProofOfWorkRungButNeverACaptcha()
    {
        var passes = new CaptchaPass(_hasher, _time);
        var work = passes.Issue(Client("203.0.113.7"), TimeSpan.FromMinutes(5), solvedCaptcha: false);
        var captcha = passes.Issue(Client("203.0.113.7"), TimeSpan.FromMinutes(5), solvedCaptcha: true);

        Assert.True(passes.IsValid(work, Client("203.0.113.7"), needsCaptcha: false));
        Assert.False(passes.IsValid(work, Client("203.0.113.7"), needsCaptcha: true));
        Assert.True(passes.IsValid(captcha, Client("203.0.113.7"), needsCaptcha: false));
        Assert.True(passes.IsValid(captcha, Client("203.0.113.7"), needsCaptcha: true));
    }

    [Fact]
    public void IsValid_AfterExpiry_False()
    {
        var passes = new CaptchaPass(_hasher, _time);
        var pass = passes.Issue(Client("203.0.113.7"), TimeSpan.FromMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(passes.IsValid(pass, Client("203.0.113.7")));
    }

    [Fact]
    public void IsValid_OtherPrefixOrUserAgent_False()
    {
        var passes = new CaptchaPass(_hasher, _time);
        var pass = passes.Issue(Client("203.0.113.7"), TimeSpan.FromMinutes(5));

        Assert.False(passes.IsValid(pass, Client("203.0.114.7")));
        Assert.False(passes.IsValid(pass, Client("203.0.113.7", "curl/8.0")));
    }

    [Fact]
    public void IsValid_ForgedOrEditedOrFromAnotherKey_False()
    {
        var passes = new CaptchaPass(_hasher, _time);
        var client = Client("203.0.113.7");
        var pass = passes.Issue(client, TimeSpan.FromMinutes(5));
        var parts = pass.Split('.');
        var longer = $"{parts[0]}.{long.Parse(parts[1]) + 86400}.{parts[2]}.{parts[3]}";
        var otherKey = new CaptchaPass(new SubjectHasher("another-key-0123456789abcdef0123456789ab"), _time).Issue(client, TimeSpan.FromMinutes(5));

        Assert.False(passes.IsValid(longer, client));
        Assert.False(passes.IsValid(otherKey, client));
        Assert.False(passes.IsValid("", client));
        Assert.False(passes.IsValid("v1.garbage", client));
        Assert.False(passes.IsValid(new string('x', 500), client));
    }

    // Key rotation: a pass issued under the previous key is valid (bound with that key) until the key's end.
    [Fact]
    public void IsValid_PassFromThePreviousKey_UntilThatKeyEnds()
    {
        const string oldKey = "pass-tests-key-0123456789abcdef0123456789";
        var pass = new CaptchaPass(new SubjectHasher(oldKey, "k1"), _time).Issue(Client("203.0.113.7"), TimeSpan.FromMinutes(5));
        var rotated = new CaptchaPass(new SubjectHasher("pass-tests-key-2-0123456789abcdef01234567", "k2",
            previous: [new SubjectHasher(oldKey, "k1", _time.GetUtcNow().AddMinutes(2))]), _time);
        var unrelated = new CaptchaPass(new SubjectHasher("pass-tests-key-2-0123456789abcdef01234567", "k2"), _time);

        Assert.True(rotated.IsValid(pass, Client("203.0.113.7")));
        Assert.False(rotated.IsValid(pass, Client("198.51.100.7")));
        Assert.False(unrelated.IsValid(pass, Client("203.0.113.7")));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(rotated.IsValid(pass, Client("203.0.113.7")));
    }
}
