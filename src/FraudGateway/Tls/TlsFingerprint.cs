using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace FraudGateway.Tls;

// The TLS connection's fingerprint, set on the connection's features by Kestrel's ClientHello callback and read by
// every request on that connection (Kestrel's request features fall back to the connection's). Nothing else about the
// hello is kept: the fingerprint lives as long as the connection.
public sealed class TlsFingerprint(string? ja4)
{
    /// <summary>The connection's JA4, or null when its ClientHello could not be read.</summary>
    public string? Ja4 { get; } = ja4;

    // Kestrel's callback: the hello's TLS records, as the client sent them (one segment unless they arrived split).
    public static void OnClientHello(ConnectionContext connection, ReadOnlySequence<byte> records)
    {
        string? ja4;
        if (records.IsSingleSegment)
        {
            ja4 = FraudGateway.Tls.Ja4.Compute(records.FirstSpan);
        }
        else if (records.Length > FraudGateway.Tls.Ja4.MaxHelloBytes + 1024)
        {
            ja4 = null;
        }
        else
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)records.Length);
            records.CopyTo(buffer);
            ja4 = FraudGateway.Tls.Ja4.Compute(buffer.AsSpan(0, (int)records.Length));
            ArrayPool<byte>.Shared.Return(buffer);
        }

        connection.Features.Set(new TlsFingerprint(ja4));
    }

    // A JA4 as a front end writes it in a header: the fingerprint's exact shape, else nothing.
    public static bool IsWellFormed(ReadOnlySpan<char> value)
    {
        if (value.Length != 36 || value[10] != '_' || value[23] != '_' || value[0] is not ('t' or 'q' or 'd') || value[3] is not ('d' or 'i'))
        {
            return false;
        }

        for (var i = 4; i < 8; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return char.IsAsciiLetterOrDigit(value[1]) && char.IsAsciiLetterOrDigit(value[2]) && char.IsAsciiLetterOrDigit(value[8])
            && char.IsAsciiLetterOrDigit(value[9]) && IsHex(value[11..23]) && IsHex(value[24..]);
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
