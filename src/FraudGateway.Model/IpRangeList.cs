using System.Net;
using System.Net.Sockets;

namespace FraudGateway.Model;

// A large list of networks (a hosting/datacenter list, Tor exits, a VPN list: thousands of entries) as sorted,
// merged ranges; a lookup is a binary search. IPv4 lives in the IPv4-mapped IPv6 space so one array serves both.
public sealed class IpRangeList
{
    public static readonly IpRangeList Empty = new([], []);

    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;

    private IpRangeList(UInt128[] starts, UInt128[] ends)
    {
        _starts = starts;
        _ends = ends;
    }

    public int RangeCount => _starts.Length;

    public bool Contains(IPAddress? address)
    {
        if (address is null || _starts.Length == 0)
        {
            return false;
        }

        var value = ToUInt128(address);
        var index = Array.BinarySearch(_starts, value);
        if (index >= 0)
        {
            return true;
        }

        index = ~index - 1;
        return index >= 0 && value <= _ends[index];
    }

    // One entry per line: "192.0.2.0/24", "2001:db8::/32" or a single address; '#' starts a comment. A line that
    // is neither is reported as "<source>:<line>: ..." in errors and skipped.
    public static IpRangeList Parse(IEnumerable<string> lines, string source, ICollection<string> errors)
    {
        var ranges = new List<(UInt128 Start, UInt128 End)>();
        var lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            var hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (CidrParser.TryParse(line, out var network, out _, clearHostBits: true))
            {
                var start = ToUInt128(network.Value.BaseAddress);
                var hostBits = (network.Value.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - network.Value.PrefixLength;
                var span = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
                ranges.Add((start, start + span));
            }
            else
            {
                errors.Add($"{source}:{lineNumber}: '{(line.Length > 60 ? line[..60] + "..." : line)}' is not an address or CIDR network");
            }
        }

        return FromRanges(ranges);
    }

    // One list holding every range of the given lists.
    public static IpRangeList Merge(IEnumerable<IpRangeList> lists)
    {
        var ranges = new List<(UInt128 Start, UInt128 End)>();
        foreach (var list in lists)
        {
            for (var i = 0; i < list._starts.Length; i++)
            {
                ranges.Add((list._starts[i], list._ends[i]));
            }
        }

        return FromRanges(ranges);
    }

    private static IpRangeList FromRanges(List<(UInt128 Start, UInt128 End)> ranges)
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var starts = new List<UInt128>();
        var ends = new List<UInt128>();
        foreach (var (start, end) in ranges)
        {
            if (ends.Count > 0 && start <= ends[^1] + 1 && ends[^1] != UInt128.MaxValue)
            {
                ends[^1] = UInt128.Max(ends[^1], end);
            }
            else
            {
                starts.Add(start);
                ends.Add(end);
            }
        }

        return new IpRangeList([.. starts], [.. ends]);
    }

    public static IpRangeList Load(string path, ICollection<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"{path}: file not found");
            return Empty;
        }

        return Parse(File.ReadLines(path), path, errors);
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[10] = 0xff;
            bytes[11] = 0xff;
            address.TryWriteBytes(bytes[12..], out _);
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }

        return new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }
}
