using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SampleApi;

// Demo accounts: alice / correct-horse-battery, bob / hunter2-hunter2.
// Passwords are kept as salted SHA-256 so the demo stays cheap under load; a real service uses a slow KDF.
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, byte[]> _hashes = new(StringComparer.OrdinalIgnoreCase);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);

    public UserDirectory()
    {
        TryAdd("alice", "correct-horse-battery");
        TryAdd("bob", "hunter2-hunter2");
    }

    public bool TryAdd(string username, string password) => _hashes.TryAdd(username.Trim(), Hash(password));

    public bool Verify(string username, string password)
    {
        var known = _hashes.TryGetValue(username.Trim(), out var expected);
        var actual = Hash(password);
        // Compare even for unknown users so timing does not reveal which usernames exist.
        return CryptographicOperations.FixedTimeEquals(known ? expected : new byte[actual.Length], actual) && known;
    }

    private byte[] Hash(string password)
    {
        var input = new byte[_salt.Length + Encoding.UTF8.GetMaxByteCount(password.Length)];
        _salt.CopyTo(input, 0);
        var length = Encoding.UTF8.GetBytes(password, input.AsSpan(_salt.Length));
        return SHA256.HashData(input.AsSpan(0, _salt.Length + length));
    }
}
