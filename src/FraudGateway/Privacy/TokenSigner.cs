using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace FraudGateway.Privacy;

// Signs short text tokens as "<payload>.<HMAC-SHA256, base64url>" with a key derived for one purpose (captcha
// passes, form tokens, proof-of-work challenges), and checks them in constant time. The gateway keeps no state
// for such tokens: what they say is trusted because only the gateway can sign it. New tokens are signed with the
// current HMAC key; a token signed with a previous key is accepted until that key's end (key rotation).
internal sealed class TokenSigner(SubjectHasher hasher, string purpose, TimeProvider time)
{
    private readonly (SubjectHasher Hasher, byte[] Key)[] _keys = [(hasher, hasher.DeriveKey(purpose)), .. hasher.Previous.Select(p => (p, p.DeriveKey(purpose)))];

    public string Sign(string payload) => payload + "." + Mac(_keys[0].Key, payload);

    public bool TryVerify(string? token, int maxLength, [NotNullWhen(true)] out string? payload) => TryVerify(token, maxLength, out payload, out _);

    // True when token is "<payload>.<mac>" with a valid mac (and at most maxLength characters); signedWith is the key
    // that signed it (anything else the token binds was made with that key too).
    public bool TryVerify(string? token, int maxLength, [NotNullWhen(true)] out string? payload, [NotNullWhen(true)] out SubjectHasher? signedWith)
    {
        payload = null;
        signedWith = null;
        var lastDot = token?.LastIndexOf('.') ?? -1;
        if (token is null || token.Length > maxLength || lastDot <= 0)
        {
            return false;
        }

        var candidate = token[..lastDot];
        var given = Encoding.ASCII.GetBytes(token[(lastDot + 1)..]);
        var now = time.GetUtcNow();
        foreach (var (key, derived) in _keys)
        {
            if (key.ValidUntil > now && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(derived, candidate)), given))
            {
                payload = candidate;
                signedWith = key;
                return true;
            }
        }

        return false;
    }

    private static string Mac(byte[] key, string payload)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload), mac);
        return Base64Url.EncodeToString(mac);
    }
}
