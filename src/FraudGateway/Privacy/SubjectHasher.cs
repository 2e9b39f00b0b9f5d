using System.Security.Cryptography;
using System.Text;

namespace FraudGateway.Privacy;

// Turns identifiers (IPs, prefixes, later account names) into keyed HMACs before they reach the store or a log.
// Without the key an attacker holding a Redis dump cannot test guesses; 128 bits of output keep keys short
// while collisions stay negligible.
public sealed class SubjectHasher
{
    private readonly byte[] _key;

    // One HMAC context per thread, reset after each use: the one-shot HMACSHA256.HashData looks the algorithm up in
    // OpenSSL's provider store (under a lock) on every call.
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public SubjectHasher(string key, string keyId = "current", DateTimeOffset? validUntil = null, IReadOnlyList<SubjectHasher>? previous = null)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("An HMAC key is required.", nameof(key));
        }

        _key = Encoding.UTF8.GetBytes(key);
        KeyId = keyId;
        ValidUntil = validUntil ?? DateTimeOffset.MaxValue;
        Previous = previous ?? [];
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
    }

    public bool IsEphemeral { get; private init; }

    public string KeyId { get; }

    // For a previous key: when it stops being tried. The current key: never.
    public DateTimeOffset ValidUntil { get; }

    // Keys used before this one (key rotation): lookups try those still valid (ActivePrevious); nothing new is
    // written with them.
    public IReadOnlyList<SubjectHasher> Previous { get; }

    public bool HasPrevious => Previous.Count > 0;

    public IEnumerable<SubjectHasher> ActivePrevious(DateTimeOffset now)
    {
        foreach (var previous in Previous)
        {
            if (previous.ValidUntil > now)
            {
                yield return previous;
            }
        }
    }

    // The current key, then every previous one still valid: what a lookup tries, in order.
    public IEnumerable<SubjectHasher> ActiveKeys(DateTimeOffset now) => [this, .. ActivePrevious(now)];

    public static SubjectHasher CreateEphemeral() => new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))) { IsEphemeral = true };

    // A key for another purpose (signing passes, challenges), derived so the HMAC key itself is used for one thing only.
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("fraudgateway-derive|" + purpose));

    // kind keeps an account called "10.0.0.1" apart from the address 10.0.0.1.
    public string Hash(string kind, ReadOnlySpan<char> value)
    {
        Span<byte> input = stackalloc byte[256];
        var maxBytes = kind.Length + 1 + Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        if (maxBytes > input.Length)
        {
            rented = System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes);
            input = rented;
        }

        try
        {
            var length = Encoding.ASCII.GetBytes(kind, input);
            input[length++] = (byte)'|';
            length += Encoding.UTF8.GetBytes(value, input[length..]);
            Span<byte> mac = stackalloc byte[32];
            var hmac = _hmac.Value!;
            hmac.AppendData(input[..length]);
            hmac.GetHashAndReset(mac);
            return Convert.ToHexStringLower(mac[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
