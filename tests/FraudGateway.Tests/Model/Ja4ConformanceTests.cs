using System.Text.Json;
using FraudGateway.Tests.TestSupport;
using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

// Every ClientHello of FoxIO's reference captures (data/ja4-reference) against the reference implementation's JA4 and
// JA4_r, stream by stream and hello by hello.
public class Ja4ConformanceTests
{
    private static readonly string Reference = Path.Combine(RepoPaths.Root, "data", "ja4-reference");

    public static TheoryData<string> Captures() => [.. Directory.GetFiles(Path.Combine(Reference, "expected")).Select(f => Path.GetFileNameWithoutExtension(f))];

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_client_hello_gets_the_reference_fingerprint(string capture)
    {
        var streams = PacketCapture.TcpStreams(Path.Combine(Reference, "pcap", capture));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Reference, "expected", capture + ".json")));
        var failures = new List<string>();
        foreach (var stream in expected.RootElement.EnumerateArray())
        {
            var src = stream.GetProperty("src").GetString()!;
            var srcPort = int.Parse(stream.GetProperty("srcport").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var dst = stream.GetProperty("dst").GetString()!;
            var dstPort = int.Parse(stream.GetProperty("dstport").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var hellos = streams.TryGetValue(new PacketCapture.Direction(src, srcPort, dst, dstPort), out var bytes) ? ClientHellos(bytes) : [];
            for (var n = 1; stream.TryGetProperty($"JA4.{n}", out var ja4); n++)
            {
                var want = (ja4.GetString(), stream.GetProperty($"JA4_r.{n}").GetString());
                var got = n <= hellos.Count && Ja4.TryCompute(hellos[n - 1], raw: true, out var j, out var r) ? (j, r) : ("(none)", "(none)");
                if (got != want)
                {
                    failures.Add($"stream {stream.GetProperty("stream").GetInt32()} hello {n}: {got} != {want}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_reference_holds_151_fingerprints()
    {
        var count = Directory.GetFiles(Path.Combine(Reference, "expected"))
            .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.EnumerateArray())
            .SelectMany(o => o.EnumerateObject())
            .Count(p => p.Name.StartsWith("JA4_r.", StringComparison.Ordinal));

        Assert.Equal(151, count);
    }

    // The ClientHellos a client sent on one TCP direction, each as TLS records from its first record header (what
    // Kestrel hands over). Bytes before the first handshake record (a SOCKS greeting) are skipped; a ChangeCipherSpec
    // is passed over (TLS 1.3 clients send one before a second ClientHello), and after it only a record that parses
    // as a ClientHello counts (a TLS 1.2 client's encrypted Finished is a handshake record too).
    internal static List<byte[]> ClientHellos(byte[] stream)
    {
        var hellos = new List<byte[]>();
        var afterChangeCipherSpec = false;
        var at = 0;
        while (at + 9 <= stream.Length && !(stream[at] == 0x16 && stream[at + 1] == 0x03 && stream[at + 5] == 0x01))
        {
            at++;
        }

        while (at + 5 <= stream.Length)
        {
            var type = stream[at];
            var length = (stream[at + 3] << 8) | stream[at + 4];
            if (type == 0x14)
            {
                afterChangeCipherSpec = true;
                at += 5 + length;
                continue;
            }

            if (type != 0x16)
            {
                break;
            }

            if (at + 9 <= stream.Length && stream[at + 5] == 0x01 && (!afterChangeCipherSpec || Ja4.Compute(stream.AsSpan(at)) is not null))
            {
                hellos.Add(stream[at..]);
                var helloLength = (stream[at + 6] << 16) | (stream[at + 7] << 8) | stream[at + 8];
                // Past every record the hello spans.
                var covered = 0;
                while (covered < 4 + helloLength && at + 5 <= stream.Length)
                {
                    covered += (stream[at + 3] << 8) | stream[at + 4];
                    at += 5 + ((stream[at + 3] << 8) | stream[at + 4]);
                }

                continue;
            }

            at += 5 + length;
        }

        return hellos;
    }
}
