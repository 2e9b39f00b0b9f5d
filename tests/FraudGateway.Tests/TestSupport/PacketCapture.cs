using System.Buffers.Binary;
using System.Net;

namespace FraudGateway.Tests.TestSupport;

// Reads a pcap or pcapng file into TCP payload streams, one per direction of each connection, reassembled by
// sequence number (retransmissions and reordering handled; a gap ends the stream). Link layers: Ethernet (with VLAN
// tags) and BSD loopback; IPv4 and IPv6. Enough for the JA4 reference captures; not a general packet library.
internal static class PacketCapture
{
    public sealed record Direction(string Source, int SourcePort, string Destination, int DestinationPort);

    public static Dictionary<Direction, byte[]> TcpStreams(string path)
    {
        var segments = new Dictionary<Direction, SortedDictionary<uint, byte[]>>();
        foreach (var (linkType, frame) in Frames(File.ReadAllBytes(path)))
        {
            if (TryTcp(linkType, frame, out var direction, out var seq, out var payload, out var syn) )
            {
                if (!segments.TryGetValue(direction, out var list))
                {
                    segments[direction] = list = new SortedDictionary<uint, byte[]>();
                }

                if (syn)
                {
                    list[seq] = [];
                    continue;
                }

                if (payload.Length > 0 && (!list.TryGetValue(seq, out var existing) || existing.Length < payload.Length))
                {
                    list[seq] = payload;
                }
            }
        }

        var streams = new Dictionary<Direction, byte[]>();
        foreach (var (direction, list) in segments)
        {
            var bytes = new List<byte>();
            uint? next = null;
            foreach (var (seq, data) in list)
            {
                if (data.Length == 0)
                {
                    // The SYN: data starts one past it.
                    next = seq + 1;
                    continue;
                }

                next ??= seq;
                var skip = (long)(next.Value - seq);
                if (skip < 0 || skip > uint.MaxValue / 2)
                {
                    if (bytes.Count == 0)
                    {
                        // Captured after the SYN: start at the first segment seen.
                        next = seq;
                        skip = 0;
                    }
                    else
                    {
                        break;
                    }
                }

                if (skip < data.Length)
                {
                    bytes.AddRange(data.Skip((int)skip));
                    next = seq + (uint)data.Length;
                }
            }

            streams[direction] = [.. bytes];
        }

        return streams;
    }

    private static IEnumerable<(int LinkType, byte[] Frame)> Frames(byte[] file)
    {
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        if (magic is 0xa1b2c3d4 or 0xa1b23c4d or 0xd4c3b2a1 or 0x4d3cb2a1)
        {
            var little = magic is 0xa1b2c3d4 or 0xa1b23c4d;
            var linkType = (int)U32(file, 20, little);
            for (var at = 24; at + 16 <= file.Length;)
            {
                var captured = (int)U32(file, at + 8, little);
                if (at + 16 + captured > file.Length)
                {
                    yield break;
                }

                yield return (linkType, file.AsSpan(at + 16, captured).ToArray());
                at += 16 + captured;
            }

            yield break;
        }

        // pcapng: section header blocks set the byte order, interface blocks the link types.
        var links = new List<int>();
        var le = true;
        for (var at = 0; at + 12 <= file.Length;)
        {
            var type = U32(file, at, le);
            if (type == 0x0a0d0d0a)
            {
                le = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)) == 0x1a2b3c4d;
                links.Clear();
            }

            var length = (int)U32(file, at + 4, le);
            if (length < 12 || at + length > file.Length)
            {
                yield break;
            }

            if (type == 1)
            {
                links.Add(le ? BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 8)) : BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(at + 8)));
            }
            else if (type == 6)
            {
                var iface = (int)U32(file, at + 8, le);
                var captured = (int)U32(file, at + 20, le);
                yield return (links[iface], file.AsSpan(at + 28, captured).ToArray());
            }
            else if (type == 3)
            {
                var captured = Math.Min((int)U32(file, at + 8, le), length - 16);
                yield return (links[0], file.AsSpan(at + 12, captured).ToArray());
            }

            at += length;
        }
    }

    private static uint U32(byte[] file, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));

    private static bool TryTcp(int linkType, byte[] frame, out Direction direction, out uint seq, out byte[] payload, out bool syn)
    {
        direction = new Direction("", 0, "", 0);
        (seq, payload, syn) = (0, [], false);
        int at;
        int etherType;
        if (linkType == 1)
        {
            at = 14;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
            while (etherType is 0x8100 or 0x88a8 && frame.Length >= at + 4)
            {
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at + 2));
                at += 4;
            }
        }
        else if (linkType == 0)
        {
            var family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
            etherType = family == 2 ? 0x0800 : 0x86dd;
            at = 4;
        }
        else
        {
            return false;
        }

        int protocol, ipEnd;
        string source, destination;
        if (etherType == 0x0800)
        {
            var headerLength = (frame[at] & 0x0f) * 4;
            protocol = frame[at + 9];
            ipEnd = Math.Min(frame.Length, at + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at + 2)));
            source = new IPAddress(frame.AsSpan(at + 12, 4)).ToString();
            destination = new IPAddress(frame.AsSpan(at + 16, 4)).ToString();
            at += headerLength;
        }
        else if (etherType == 0x86dd)
        {
            protocol = frame[at + 6];
            ipEnd = Math.Min(frame.Length, at + 40 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at + 4)));
            source = new IPAddress(frame.AsSpan(at + 8, 16)).ToString();
            destination = new IPAddress(frame.AsSpan(at + 24, 16)).ToString();
            at += 40;
            // Extension headers (hop-by-hop, routing, destination options) before TCP.
            while (protocol is 0 or 43 or 60 && at + 8 <= frame.Length)
            {
                protocol = frame[at];
                at += (frame[at + 1] + 1) * 8;
            }
        }
        else
        {
            return false;
        }

        if (protocol != 6 || at + 20 > ipEnd)
        {
            return false;
        }

        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at));
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at + 2));
        seq = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(at + 4));
        var dataOffset = (frame[at + 12] >> 4) * 4;
        syn = (frame[at + 13] & 0x02) != 0;
        direction = new Direction(source, sourcePort, destination, destinationPort);
        payload = at + dataOffset < ipEnd ? frame.AsSpan(at + dataOffset, ipEnd - at - dataOffset).ToArray() : [];
        return true;
    }
}
