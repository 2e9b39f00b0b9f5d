using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;

namespace FraudGateway.Model.Credentials;

// A compiled breach corpus: is this password's SHA-1 in it? Built once from the Pwned Passwords file or a plain list
// (BreachedPasswordFileWriter), checked memory-mapped, so a billion hashes stay on disk and out of the heap.
//
// Layout (little-endian): a 64-byte header ("FGBREACH", format version 1, bucket bits b, entry count n, XxHash3 of
// everything after the header), then 2^b + 1 uint32 bucket offsets, then n uint32 entries. A hash's first 64 bits k
// pick bucket k >> (64 - b); its entry is the next 32 bits, and a bucket's entries are sorted, so a lookup reads two
// offsets and binary-searches a bucket of about 16 entries (b is chosen so). A password is reported breached when its
// (b + 32)-bit prefix is held: a false positive rate of n / 2^(b + 32), under 1e-8 at any size this writer makes
// (b grows with n); no false negatives. Sorted prefixes rather than a xor or binary fuse filter: the build streams a
// sorted Pwned Passwords file with constant memory, the file is ~4 bytes per hash (a 16-bit fuse filter is ~2.3 but
// needs ~24 bytes per key in memory to build), and a lookup is a few reads of one page.
public sealed unsafe class BreachedPasswordFile : IDisposable
{
    public const int HeaderBytes = 64;
    public static ReadOnlySpan<byte> Magic => "FGBREACH"u8;
    public const int FormatVersion = 1;

    // A password longer than this (bytes of UTF-8) is not checked: no breach corpus holds one, and it bounds the work.
    public const int MaxPasswordBytes = 512;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly int _bucketBits;

    // The mapped offsets and entries, read directly: the accessor's checked reads cost more than the search itself.
    // Valid until Dispose releases the view (BreachedPasswords disposes a replaced file one reload interval later).
    private readonly uint* _offsets;
    private readonly uint* _entries;
    private int _disposed;

    private BreachedPasswordFile(MemoryMappedFile map, MemoryMappedViewAccessor view, int bucketBits, long count)
    {
        (_map, _view, _bucketBits, Count) = (map, view, bucketBits, count);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        start += view.PointerOffset;
        _offsets = (uint*)(start + HeaderBytes);
        _entries = (uint*)(start + HeaderBytes + (((1L << bucketBits) + 1) * 4));
    }

    public long Count { get; }

    public int BucketBits => _bucketBits;

    // The expected share of passwords not in the corpus that a lookup reports breached.
    public double FalsePositiveRate => Count / Math.Pow(2, _bucketBits + 32);

    /// <summary>
    /// Opens and checks a compiled file: its header, its length and its checksum. Throws InvalidDataException naming
    /// what is wrong (a truncated or corrupt file is never used). The file is first copied to a private snapshot (in the
    /// temporary folder, deleted when closed) and the snapshot is what is checked and mapped: an operator who overwrites
    /// the file in place, or truncates it, cannot change or pull away the pages a lookup is reading.
    /// </summary>
    public static BreachedPasswordFile Open(string path)
    {
        var snapshot = new FileStream(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fraudgateway-breach-{Guid.NewGuid():N}.bin"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        try
        {
            using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20))
            {
                source.CopyTo(snapshot);
            }

            var (bits, count) = Check(snapshot, path);
            var map = MemoryMappedFile.CreateFromFile(snapshot, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new BreachedPasswordFile(map, view, bits, count);
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    private static (int Bits, long Count) Check(FileStream file, string path)
    {
        var length = file.Length;
        if (length < HeaderBytes)
        {
            throw new InvalidDataException($"{path} is {length} bytes: too short to be a compiled breach corpus.");
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        file.Position = 0;
        file.ReadExactly(header);
        if (!header[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != FormatVersion)
        {
            throw new InvalidDataException($"{path} is not a compiled breach corpus (format {FormatVersion}); build it with `fraudgateway-trainer breached-passwords`.");
        }

        var bits = header[12];
        var count = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (bits is < 1 or > 32 || count < 0 || count > uint.MaxValue)
        {
            throw new InvalidDataException($"{path}: its header is corrupt.");
        }

        var expected = HeaderBytes + (((1L << bits) + 1) * 4) + (count * 4);
        if (length != expected)
        {
            throw new InvalidDataException($"{path} is {length} bytes where its header says {expected}: truncated or corrupt.");
        }

        var checksum = new System.IO.Hashing.XxHash3();
        checksum.Append(file);
        if (checksum.GetCurrentHashAsUInt64() != BinaryPrimitives.ReadUInt64LittleEndian(header[24..]))
        {
            throw new InvalidDataException($"{path}: its checksum does not match its contents (corrupt).");
        }

        return (bits, count);
    }

    /// <summary>Whether the UTF-8 password's SHA-1 is in the corpus. No allocation; the hash stays on the stack.</summary>
    public bool Contains(ReadOnlySpan<byte> password)
    {
        Span<byte> hash = stackalloc byte[20];
        Sha1.Hash(password, hash);
        var found = ContainsHash(hash);
        hash.Clear();
        return found;
    }

    /// <summary>Whether the password is in the corpus; null when it is too long to check.</summary>
    public bool? Contains(ReadOnlySpan<char> password)
    {
        if (password.Length > MaxPasswordBytes || Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
        {
            return null;
        }

        Span<byte> utf8 = stackalloc byte[MaxPasswordBytes];
        var written = Encoding.UTF8.GetBytes(password, utf8);
        var found = Contains(utf8[..written]);
        utf8[..written].Clear();
        return found;
    }

    public bool ContainsHash(ReadOnlySpan<byte> sha1)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var key = BinaryPrimitives.ReadUInt64BigEndian(sha1);
        var bucket = (long)(key >> (64 - _bucketBits));
        var entry = (uint)(key >> (32 - _bucketBits));
        long low = Little(_offsets[bucket]);
        long high = Little(_offsets[bucket + 1]);
        if (!BitConverter.IsLittleEndian)
        {
            entry = BinaryPrimitives.ReverseEndianness(entry);
            for (var i = low; i < high; i++)
            {
                if (_entries[i] == entry)
                {
                    return true;
                }
            }

            return false;
        }

        return new ReadOnlySpan<uint>(_entries + low, (int)(high - low)).BinarySearch(entry) >= 0;
    }

    private static uint Little(uint value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
