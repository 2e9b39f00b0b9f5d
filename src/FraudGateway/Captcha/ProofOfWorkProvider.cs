using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using FraudGateway.Privacy;

namespace FraudGateway.Captcha;

// The self-hosted challenge, for operators who will not send their users' data to a third party.
// Challenge: "pow1.<issued unix s>.<difficulty>.<salt>.<mac>", signed with a key derived from the privacy key, so
// the gateway keeps no state for it. Solution token: "<challenge>:<nonce>", where SHA-256 of that whole string
// starts with <difficulty> zero bits. Verifying costs one HMAC and one SHA-256; the token is claimed (single use)
// only when it is redeemed. wwwroot/fraudgateway-pow.js is a solver for browsers.
internal sealed class ProofOfWorkProvider(string name, int difficulty, SubjectHasher hasher, TimeProvider time) : ICaptchaProvider
{
    public const string Algorithm = "sha256-leading-zero-bits";

    private readonly TokenSigner _signer = new(hasher, "proof-of-work-v1|" + name, time);

    public string Name { get; } = name;

    public CaptchaProviderType Type => CaptchaProviderType.ProofOfWork;

    public string SiteKey => "";

    public IReadOnlyList<string> Hostnames { get; } = [];

    public int Difficulty { get; } = difficulty;

    public string IssueChallenge()
    {
        var salt = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        return _signer.Sign($"pow1.{time.GetUtcNow().ToUnixTimeSeconds()}.{Difficulty}.{salt}");
    }

    public ValueTask<SiteVerifyResult> VerifyAsync(string token, IPAddress clientAddress, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(token));

    public SiteVerifyResult Verify(string token)
    {
        var colon = token.LastIndexOf(':');
        if (colon <= 0 || token.Length - colon - 1 is 0 or > 20 || !token.AsSpan(colon + 1).ContainsOnlyDigits())
        {
            return Invalid("invalid-input-response");
        }

        if (!_signer.TryVerify(token[..colon], 300, out var unsigned))
        {
            return Invalid("invalid-input-response");
        }

        var parts = unsigned.Split('.');
        if (parts.Length != 4 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issued) || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var required))
        {
            return Invalid("invalid-input-response");
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(token), hash);
        if (LeadingZeroBits(hash) < required)
        {
            return Invalid("pow-insufficient-work");
        }

        return new SiteVerifyResult(true, [], ChallengeTime: DateTimeOffset.FromUnixTimeSeconds(issued));
    }

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                bits += 8;
                continue;
            }

            return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
        }

        return bits;
    }

    private static SiteVerifyResult Invalid(string code) => new(false, [code]);

}

internal static class DigitExtensions
{
    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span) => !span.ContainsAnyExcept(Digits);
}
