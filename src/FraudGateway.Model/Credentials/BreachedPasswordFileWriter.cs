using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FraudGateway.Model.Credentials;

// Compiles a breach corpus into the BreachedPasswordFile layout. Two sources, in their real formats:
// - the Pwned Passwords SHA-1 file as its downloader writes it: one "<40 hex digits>:<count>" per line, sorted by hash,
//   upper or lower case, LF or CRLF. Read twice (count, then write), never held in memory: a billion hashes need the
//   bucket offsets only (4 bytes x 2^b).
// - a plain list of passwords, one per line (UTF-8): hashed here, sorted in memory (8 bytes per password).
// A malformed line is refused with its number; nothing is written then (the output is replaced only when complete).
public static class BreachedPasswordFileWriter
{
    public sealed record Result(long Lines, long Entries, int BucketBits, long Bytes, double FalsePositiveRate);

    public static Result FromPwnedPasswords(string input, string output)
    {
        var lines = 0L;
        var previous = new byte[20];
        var hash = new byte[20];
        foreach (var _ in PwnedLines(input, hash))
        {
            if (lines > 0 && hash.AsSpan().SequenceCompareTo(previous) < 0)
            {
                throw new FormatException($"{input}, line {lines + 1}: not sorted by hash (the Pwned Passwords file is; sort it, or give a plain list).");
            }

            hash.CopyTo(previous, 0);
            lines++;
        }

        return Write(output, BucketBitsFor(lines), Keys(PwnedLines(input, hash), hash), lines);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "SHA-1 is the Pwned Passwords corpus's own key, not a protection of ours.")]
    public static Result FromPlainList(string input, string output)
    {
        var keys = new List<ulong>();
        Span<byte> digest = stackalloc byte[20];
        var lines = 0L;
        foreach (var line in File.ReadLines(input, Encoding.UTF8))
        {
            lines++;
            if (line.Length == 0)
            {
                continue;
            }

            SHA1.HashData(Encoding.UTF8.GetBytes(line), digest);
            keys.Add(BinaryPrimitives.ReadUInt64BigEndian(digest));
        }

        keys.Sort();
        return Write(output, BucketBitsFor(keys.Count), keys, lines);
    }

    // About 16 entries per bucket.
    public static int BucketBitsFor(long count) => Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(1, count) / 16.0)), 1, 32);

    private static IEnumerable<ulong> Keys(IEnumerable<long> lines, byte[] hash)
    {
        foreach (var _ in lines)
        {
            yield return BinaryPrimitives.ReadUInt64BigEndian(hash);
        }
    }

    // Parses each line into hash (reused), yielding the line number. Refuses a malformed line with its number.
    private static IEnumerable<long> PwnedLines(string input, byte[] hash)
    {
        var number = 0L;
        foreach (var line in File.ReadLines(input, Encoding.ASCII))
        {
            number++;
            var text = line.AsSpan().TrimEnd('\r');
            if (text.Length == 0)
            {
                continue;
            }

            var colon = text.IndexOf(':');
            if (colon != 40 || Convert.FromHexString(text[..40], hash, out _, out var written) != System.Buffers.OperationStatus.Done || written != 20
                || !long.TryParse(text[41..], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                throw new FormatException($"{input}, line {number}: expected <40 hex digits>:<count>, got \"{Shorten(line)}\".");
            }

            yield return number;
        }
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "...";

    // Keys are sorted; (bits + 32)-bit prefixes that repeat are written once.
    private static Result Write(string output, int bits, IEnumerable<ulong> keys, long lines)
    {
        var buckets = 1L << bits;
        var offsets = new uint[buckets + 1];
        var temporary = output + ".partial";
        var entriesAt = BreachedPasswordFile.HeaderBytes + ((buckets + 1) * 4);
        long entries = 0;
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
        {
            file.SetLength(entriesAt);
            file.Position = entriesAt;
            Span<byte> buffer = stackalloc byte[4];
            var last = ulong.MaxValue;
            foreach (var key in keys)
            {
                var prefix = key >> (32 - bits);
                if (prefix == last)
                {
                    continue;
                }

                last = prefix;
                offsets[(key >> (64 - bits)) + 1]++;
                BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)prefix);
                file.Write(buffer);
                entries++;
            }

            for (var b = 1L; b <= buckets; b++)
            {
                offsets[b] += offsets[b - 1];
            }

            file.Position = BreachedPasswordFile.HeaderBytes;
            var offsetBytes = new byte[4 * 65536];
            for (var start = 0L; start <= buckets; start += 65536)
            {
                var n = (int)Math.Min(65536, buckets + 1 - start);
                for (var i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(offsetBytes.AsSpan(i * 4), offsets[start + i]);
                }

                file.Write(offsetBytes, 0, n * 4);
            }

            file.Flush();
            file.Position = BreachedPasswordFile.HeaderBytes;
            var checksum = new System.IO.Hashing.XxHash3();
            checksum.Append(file);
            Span<byte> header = stackalloc byte[BreachedPasswordFile.HeaderBytes];
            header.Clear();
            BreachedPasswordFile.Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], BreachedPasswordFile.FormatVersion);
            header[12] = (byte)bits;
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], entries);
            BinaryPrimitives.WriteUInt64LittleEndian(header[24..], checksum.GetCurrentHashAsUInt64());
            file.Position = 0;
            file.Write(header);
        }

        File.Move(temporary, output, overwrite: true);
        return new Result(lines, entries, bits, new FileInfo(output).Length, entries / Math.Pow(2, bits + 32));
    }
}
