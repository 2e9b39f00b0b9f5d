using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace FraudGateway.Tls;

// The TLS connection's fingerprint, kept in the connection's items by Kestrel's ClientHello callback and read by every
// request on that connection (IConnectionItemsFeature: the connection's own dictionary, which every request on it
// sees, HTTP/1.1 keep-alive and HTTP/2 streams alike). Nothing else about the hello is kept: the fingerprint lives as
// long as the connection.
public sealed class TlsFingerprint(string? ja4, string? software)
{
    /// <summary>The connection's JA4, or null when its ClientHello could not be read.</summary>
    public string? Ja4 { get; } = ja4;

    /// <summary>
    /// The JA4 the client software is recognised by (Ja4.ComputeWithoutResumption: a resumed connection matches the
    /// same client's fresh ones in the corpus).
    /// </summary>
    public string? SoftwareJa4 { get; } = software;

    // Kestrel's callback: the hello's TLS records, as the client sent them (one segment unless they arrived split).
    public static void OnClientHello(ConnectionContext connection, ReadOnlySequence<byte> records)
    {
        if (records.IsSingleSegment)
        {
            connection.Items[ItemKey] = From(records.FirstSpan);
        }
        else if (records.Length <= FraudGateway.Model.Ja4.MaxHelloBytes + 1024)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)records.Length);
            records.CopyTo(buffer);
            connection.Items[ItemKey] = From(buffer.AsSpan(0, (int)records.Length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            connection.Items[ItemKey] = new TlsFingerprint(null, null);
        }
    }

    // The second computation only when the hello resumes a session (its JA4 differs then).
    private static TlsFingerprint From(ReadOnlySpan<byte> records)
    {
        var ja4 = FraudGateway.Model.Ja4.Compute(records, out var resumes);
        return new TlsFingerprint(ja4, resumes ? FraudGateway.Model.Ja4.ComputeWithoutResumption(records) : ja4);
    }

    // The fingerprint of the connection the request came on; null on a connection without TLS (or not through Kestrel).
    public static TlsFingerprint? Of(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var item) == true
            ? item as TlsFingerprint : null;

    private static readonly object ItemKey = typeof(TlsFingerprint);

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
