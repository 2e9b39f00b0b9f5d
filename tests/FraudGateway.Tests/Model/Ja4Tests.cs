using FraudGateway.Tests.TestSupport;
using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class Ja4Tests
{
    private static byte[] ChromeHello()
    {
        var streams = PacketCapture.TcpStreams(Path.Combine(RepoPaths.Root, "data", "ja4-reference", "pcap", "tls-alpn-h2.pcap"));
        return streams.Values.Select(Ja4ConformanceTests.ClientHellos).First(h => h.Count > 0)[0];
    }

    [Fact]
    public void A_hello_cut_anywhere_gives_no_fingerprint()
    {
        var hello = ChromeHello();
        var whole = (hello[3] << 8 | hello[4]) + 5;
        Assert.NotNull(Ja4.Compute(hello.AsSpan(0, whole)));
        for (var length = 0; length < whole; length++)
        {
            Assert.Null(Ja4.Compute(hello.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Garbage_and_other_protocols_give_no_fingerprint()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (bytes.Length > 5 && i % 2 == 0)
            {
                // Past the first checks: a handshake record holding a ClientHello header, then noise.
                (bytes[0], bytes[1], bytes[5]) = (0x16, 0x03, 0x01);
            }

            _ = Ja4.Compute(bytes);
        }

        // An SSLv2-compatible hello (high bit set, message type 1) and plain HTTP.
        Assert.Null(Ja4.Compute([0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10]));
        Assert.Null(Ja4.Compute("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8));
    }

    [Fact]
    public void An_oversized_hello_gives_no_fingerprint()
    {
        var bytes = new byte[Ja4.MaxHelloBytes + 64];
        (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]) = (0x16, 0x03, 0x01, 0xff, 0xff, 0x01);
        var length = Ja4.MaxHelloBytes + 1;
        (bytes[6], bytes[7], bytes[8]) = ((byte)(length >> 16), (byte)(length >> 8), (byte)length);

        Assert.Null(Ja4.Compute(bytes));
    }

    [Fact]
    public void A_hello_split_over_two_records_is_put_together()
    {
        var hello = ChromeHello();
        var body = hello.AsSpan(5, (hello[3] << 8) | hello[4]).ToArray();
        var split = new List<byte>();
        foreach (var part in new[] { body[..100], body[100..] })
        {
            split.AddRange([0x16, 0x03, 0x01, (byte)(part.Length >> 8), (byte)part.Length]);
            split.AddRange(part);
        }

        Assert.Equal(Ja4.Compute(hello), Ja4.Compute(split.ToArray()));
    }

    [Theory]
    [InlineData(0x0a0a, true)]
    [InlineData(0xfafa, true)]
    [InlineData(0x0a1a, false)]
    [InlineData(0x1301, false)]
    public void Grease_values(int value, bool grease) => Assert.Equal(grease, Ja4.IsGrease(value));

    // A resumed hello (Chrome's, with pre_shared_key, in the reference captures) is recognised as its fresh self: the
    // resumption extensions leave the count and the hash; a fresh hello is unchanged.
    [Fact]
    public void Without_resumption_a_resumed_hello_loses_its_resumption_extensions_only()
    {
        var streams = PacketCapture.TcpStreams(Path.Combine(RepoPaths.Root, "data", "ja4-reference", "pcap", "tls-handshake.pcapng"));
        var hellos = streams.Values.SelectMany(Ja4ConformanceTests.ClientHellos).ToList();
        var resumed = hellos.First(h => Ja4.TryCompute(h, raw: true, out _, out var raw) && raw!.Contains(",0029,", StringComparison.Ordinal));

        Assert.True(Ja4.TryCompute(resumed, raw: true, out var ja4, out var ja4Raw));
        Assert.NotNull(Ja4.Compute(resumed, out var resumes));
        Assert.True(resumes);
        var without = Ja4.ComputeWithoutResumption(resumed)!;
        var extensions = int.Parse(ja4[6..8], System.Globalization.CultureInfo.InvariantCulture);
        var dropped = ja4Raw!.Split('_')[2].Split(',').Count(e => e is "0029" or "002a");
        Assert.Equal((extensions - dropped).ToString("00", System.Globalization.CultureInfo.InvariantCulture), without[6..8]);
        Assert.Equal(ja4[10..23], without[10..23]);
        Assert.NotEqual(ja4[24..], without[24..]);

        var fresh = ChromeHello();
        Assert.Equal(Ja4.Compute(fresh), Ja4.ComputeWithoutResumption(fresh));
        Ja4.Compute(fresh, out var freshResumes);
        Assert.False(freshResumes);
    }
}
