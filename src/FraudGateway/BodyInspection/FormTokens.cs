using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FraudGateway.Privacy;

namespace FraudGateway.BodyInspection;

// Signed form tokens: "ft1.<issued unix ms>.<policy>.<mac>", fetched when a form is rendered and sent back with it.
// The gateway keeps no state: the token proves when the form was issued and for which policy.
public sealed class FormTokens(SubjectHasher hasher, TimeProvider time)
{
    private readonly byte[] _key = hasher.DeriveKey("form-token-v1");

    public string Issue(string policy)
    {
        var unsigned = $"ft1.{time.GetUtcNow().ToUnixTimeMilliseconds()}.{policy}";
        return unsigned + "." + Mac(unsigned);
    }

    // ok, missing, forged, expired or too-fast.
    public string Check(string? token, string policy, int minFillSeconds, int maxAgeSeconds)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "missing";
        }

        var lastDot = token.LastIndexOf('.');
        if (token.Length > 300 || lastDot <= 0)
        {
            return "forged";
        }

        var unsigned = token[..lastDot];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(unsigned)), Encoding.ASCII.GetBytes(token[(lastDot + 1)..])))
        {
            return "forged";
        }

        var parts = unsigned.Split('.', 3);
        if (parts.Length != 3 || parts[0] != "ft1" || !string.Equals(parts[2], policy, StringComparison.OrdinalIgnoreCase)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs))
        {
            return "forged";
        }

        var age = time.GetUtcNow().ToUnixTimeMilliseconds() - issuedMs;
        return age > maxAgeSeconds * 1000L ? "expired" : age < minFillSeconds * 1000L ? "too-fast" : "ok";
    }

    private string Mac(string unsigned)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(unsigned), mac);
        return Base64Url.EncodeToString(mac);
    }
}
