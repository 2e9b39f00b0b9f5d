using System.Security.Cryptography;
using System.Text;
using FraudGateway.Captcha;
using FraudGateway.Privacy;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Captcha;

public class ProofOfWorkProviderTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly SubjectHasher _hasher = new("pow-tests-key-0123456789abcdef0123456789a");

    private static string Solve(string challenge, int difficulty, bool succeed = true)
    {
        for (var nonce = 0; ; nonce++)
        {
            var token = challenge + ":" + nonce;
            var ok = ProofOfWorkProvider.LeadingZeroBits(SHA256.HashData(Encoding.ASCII.GetBytes(token))) >= difficulty;
            if (ok == succeed)
            {
                return token;
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 0)]
    [InlineData(new byte[] { 0x01 }, 7)]
    [InlineData(new byte[] { 0x00, 0x80 }, 8)]
    [InlineData(new byte[] { 0x00, 0x00, 0x10 }, 19)]
    [InlineData(new byte[] { 0x00, 0x00 }, 16)]
    public void LeadingZeroBits_CountsBits(byte[] bytes, int expected)
    {
        Assert.Equal(expected, ProofOfWorkProvider.LeadingZeroBits(bytes));
    }

    [Fact]
    public void Verify_SolvedChallenge_PassesWithItsIssueTime()
    {
        var pow = new ProofOfWorkProvider("pow", 10, _hasher, _time);

        var result = pow.Verify(Solve(pow.IssueChallenge(), 10));

        Assert.True(result.Success);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), result.ChallengeTime!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public void Verify_NotEnoughWork_Fails()
    {
        var pow = new ProofOfWorkProvider("pow", 10, _hasher, _time);

        Assert.Equal(["pow-insufficient-work"], pow.Verify(Solve(pow.IssueChallenge(), 10, succeed: false)).ErrorCodes);
    }

    [Fact]
    public void Verify_LoweredDifficultyOrOtherProvidersChallenge_Fails()
    {
        var pow = new ProofOfWorkProvider("pow", 10, _hasher, _time);
        var challenge = pow.IssueChallenge();
        var easier = challenge.Replace(".10.", ".1.");
        var foreign = new ProofOfWorkProvider("other", 10, _hasher, _time).IssueChallenge();

        Assert.False(pow.Verify(Solve(easier, 1)).Success);
        Assert.False(pow.Verify(Solve(foreign, 10)).Success);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-colon")]
    [InlineData("pow1.1.1.salt.mac:notanumber")]
    [InlineData("pow1.1.1.salt.mac:123456789012345678901")]
    [InlineData(":1")]
    public void Verify_Garbage_Fails(string token)
    {
        Assert.False(new ProofOfWorkProvider("pow", 10, _hasher, _time).Verify(token).Success);
    }
}
