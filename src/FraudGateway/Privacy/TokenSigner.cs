using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace FraudGateway.Privacy;

// Signs short text tokens as "<payload>.<HMAC-SHA256, base64url>" with a key derived for one purpose (captcha
// passes, form tokens, proof-of-work challenges), and checks them in constant time. The gateway keeps no state
// for such tokens: what they say is trusted because only the gateway can sign it.
internal sealed class TokenSigner(SubjectHasher hasher, string purpose)
{
    private readonly byte[] _key = hasher.DeriveKey(purpose);

    public string Sign(string payload) => payload + "." + Mac(payload);

    // True when token is "<payload>.<mac>" with a valid mac (and at most maxLength characters).
    public bool TryVerify(string? token, int maxLength, [NotNullWhen(true)] out string? payload)
    {
        payload = null;
        var lastDot = token?.LastIndexOf('.') ?? -1;
        if (token is null || token.Length > maxLength || lastDot <= 0)
        {
            return false;
        }

        var candidate = token[..lastDot];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(candidate)), Encoding.ASCII.GetBytes(token[(lastDot + 1)..])))
        {
            return false;
        }

        payload = candidate;
        return true;
    }

    private string Mac(string payload)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload), mac);
        return Base64Url.EncodeToString(mac);
    }
}
