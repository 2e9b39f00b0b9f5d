using System.Buffers.Binary;
using System.Numerics;

namespace FraudGateway.Model.Credentials;

// SHA-1 of a short input, in managed code. Written here rather than calling SHA1.HashData because a password is one or
// two 64-byte blocks, and the platform call (OpenSSL's one-shot digest on Linux) costs more in its fixed overhead than
// the compression itself (load-tests/README.md, "Breach corpus"). Equal to SHA1.HashData for every input (Sha1Tests
// compares them). Not a security primitive: the Pwned Passwords corpus's key.
public static class Sha1
{
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<uint> state = [0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u];
        Span<uint> w = stackalloc uint[80];
        var full = data.Length / 64;
        for (var block = 0; block < full; block++)
        {
            Compress(state, data.Slice(block * 64, 64), w);
        }

        // The tail, the 0x80 byte, zeros and the length in bits: one or two more blocks.
        Span<byte> last = stackalloc byte[128];
        last.Clear();
        var tail = data[(full * 64)..];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var blocks = tail.Length < 56 ? 1 : 2;
        BinaryPrimitives.WriteUInt64BigEndian(last[((blocks * 64) - 8)..], (ulong)data.Length * 8);
        for (var block = 0; block < blocks; block++)
        {
            Compress(state, last.Slice(block * 64, 64), w);
        }

        for (var i = 0; i < 5; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], state[i]);
        }

        last.Clear();
        w.Clear();
    }

    private static void Compress(Span<uint> state, ReadOnlySpan<byte> block, Span<uint> w)
    {
        for (var i = 0; i < 16; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        }

        for (var i = 16; i < 80; i++)
        {
            w[i] = BitOperations.RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (var i = 0; i < 80; i++)
        {
            uint f, k;
            if (i < 20)
            {
                (f, k) = ((b & c) | (~b & d), 0x5A827999u);
            }
            else if (i < 40)
            {
                (f, k) = (b ^ c ^ d, 0x6ED9EBA1u);
            }
            else if (i < 60)
            {
                (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDCu);
            }
            else
            {
                (f, k) = (b ^ c ^ d, 0xCA62C1D6u);
            }

            var t = BitOperations.RotateLeft(a, 5) + f + e + k + w[i];
            (e, d, c, b, a) = (d, c, BitOperations.RotateLeft(b, 30), a, t);
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}
