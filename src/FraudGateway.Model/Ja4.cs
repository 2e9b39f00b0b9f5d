using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FraudGateway.Model;

// JA4, the TLS client fingerprint, computed from a ClientHello as the specification (data/ja4-reference/JA4.md) and
// FoxIO's reference implementation do: the conformance test holds it to every fingerprint of the reference captures.
// Written here rather than taken from a package: none is served that parses Kestrel's ClientHello bytes, and the
// parse works on the caller's span with a few hundred bytes of stack and one string for the result.
//
// Input: the TLS records as the client sent them (record header first), as Kestrel's ClientHello listener hands them
// over; a ClientHello spread over several records is put together. Anything that is not a well-formed ClientHello (an
// SSLv2-compatible hello, a truncated or oversized one, garbage) gives no fingerprint, never an exception.
public static class Ja4
{
    // A ClientHello longer than this is refused (the largest real ones, with post-quantum key shares, are ~2 KB).
    public const int MaxHelloBytes = 64 * 1024;

    private const int MaxValues = 512;

    /// <summary>The JA4 fingerprint of the ClientHello in records, or null.</summary>
    public static string? Compute(ReadOnlySpan<byte> records) => TryCompute(records, raw: false, out var ja4, out _) ? ja4 : null;

    /// <summary>
    /// JA4 of the same hello as if it resumed no session: the pre_shared_key and early_data extensions (0x0029, 0x002a),
    /// which a client adds only when it resumes, left out of the count and the hash. A client's resumed connections
    /// then match its fresh ones (what a corpus of fresh connections holds); equal to Compute for a fresh connection.
    /// Not a JA4 to show or exchange: for recognising client software only.
    /// </summary>
    public static string? ComputeWithoutResumption(ReadOnlySpan<byte> records) =>
        TryCompute(records, raw: false, out var ja4, out _, withoutResumption: true, out _) ? ja4 : null;

    /// <summary>Compute, and whether the hello resumes a session (then ComputeWithoutResumption differs).</summary>
    public static string? Compute(ReadOnlySpan<byte> records, out bool resumes)
    {
        resumes = false;
        return TryCompute(records, raw: false, out var ja4, out _, withoutResumption: false, out resumes) ? ja4 : null;
    }

    /// <summary>The JA4 fingerprint and its raw form (JA4_r: sorted ciphers, sorted extensions, signature algorithms).</summary>
    public static bool TryCompute(ReadOnlySpan<byte> records, bool raw, out string ja4, out string? ja4Raw) =>
        TryCompute(records, raw, out ja4, out ja4Raw, withoutResumption: false, out _);

    private static bool TryCompute(ReadOnlySpan<byte> records, bool raw, out string ja4, out string? ja4Raw, bool withoutResumption, out bool resumes)
    {
        resumes = false;
        ja4 = "";
        ja4Raw = null;
        byte[]? rented = null;
        try
        {
            if (!TryHandshake(records, ref rented, out var hello))
            {
                return false;
            }

            return TryFingerprint(hello, raw, withoutResumption, out ja4, out ja4Raw, out resumes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // GREASE (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa.
    public static bool IsGrease(int value) => (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);

    // The ClientHello body (after the 4-byte handshake header) from one or more handshake records.
    private static bool TryHandshake(ReadOnlySpan<byte> records, ref byte[]? rented, out ReadOnlySpan<byte> hello)
    {
        hello = default;
        if (records.Length < 9 || records[0] != 0x16 || records[1] != 0x03)
        {
            return false;
        }

        var first = BinaryPrimitives.ReadUInt16BigEndian(records[3..]);
        if (first == 0 || records[5] != 0x01)
        {
            return false;
        }

        var length = (records[6] << 16) | (records[7] << 8) | records[8];
        if (length > MaxHelloBytes)
        {
            return false;
        }

        if (first >= 4 + length && records.Length >= 9 + length)
        {
            hello = records.Slice(9, length);
            return true;
        }

        // Spread over several records: their fragments, in order, make the handshake message.
        rented = ArrayPool<byte>.Shared.Rent(4 + length);
        var have = 0;
        var at = 0;
        while (have < 4 + length)
        {
            if (records.Length - at < 5 || records[at] != 0x16)
            {
                return false;
            }

            var fragment = BinaryPrimitives.ReadUInt16BigEndian(records[(at + 3)..]);
            if (records.Length - at - 5 < fragment)
            {
                return false;
            }

            var take = Math.Min(fragment, 4 + length - have);
            records.Slice(at + 5, take).CopyTo(rented.AsSpan(have));
            have += take;
            at += 5 + fragment;
        }

        hello = rented.AsSpan(4, length);
        return true;
    }

    private static bool TryFingerprint(ReadOnlySpan<byte> hello, bool raw, bool withoutResumption, out string ja4, out string? ja4Raw, out bool resumes)
    {
        resumes = false;
        ja4 = "";
        ja4Raw = null;
        var reader = new TlsReader(hello);
        if (!reader.TryU16(out var legacyVersion) || !reader.TrySkip(32) || !reader.TryVector8(out _) || !reader.TryVector16(out var cipherBytes)
            || cipherBytes.Length % 2 != 0 || !reader.TryVector8(out _))
        {
            return false;
        }

        Span<ushort> ciphers = stackalloc ushort[Math.Min(cipherBytes.Length / 2, MaxValues)];
        var cipherCount = Values(cipherBytes, ciphers);

        ReadOnlySpan<byte> extensionBytes = default;
        if (reader.Remaining > 0 && (!reader.TryVector16(out extensionBytes) || reader.Remaining != 0))
        {
            return false;
        }

        Span<ushort> extensions = stackalloc ushort[MaxValues];
        Span<ushort> signatures = stackalloc ushort[MaxValues];
        int extensionCount = 0, hashedCount = 0, signatureCount = 0, version = legacyVersion;
        var sni = false;
        ReadOnlySpan<byte> alpn = default;
        var extensionReader = new TlsReader(extensionBytes);
        while (extensionReader.Remaining > 0)
        {
            if (!extensionReader.TryU16(out var type) || !extensionReader.TryVector16(out var data))
            {
                return false;
            }

            resumes |= type is 0x0029 or 0x002a;
            if (IsGrease(type) || (withoutResumption && type is 0x0029 or 0x002a))
            {
                continue;
            }

            extensionCount++;
            switch (type)
            {
                case 0x0000:
                    sni = true;
                    continue;
                case 0x0010:
                    var alpnReader = new TlsReader(data);
                    if (alpnReader.TryVector16(out var list) && new TlsReader(list).TryVector8(out var protocol))
                    {
                        alpn = protocol;
                    }

                    continue;
                case 0x000d:
                    var sigReader = new TlsReader(data);
                    if (sigReader.TryVector16(out var sigs) && sigs.Length % 2 == 0)
                    {
                        signatureCount += Values(sigs, signatures[signatureCount..]);
                    }

                    break;
                case 0x002b:
                    var versionsReader = new TlsReader(data);
                    if (versionsReader.TryVector8(out var versions) && versions.Length >= 2)
                    {
                        var highest = -1;
                        for (var i = 0; i + 1 < versions.Length; i += 2)
                        {
                            var v = BinaryPrimitives.ReadUInt16BigEndian(versions[i..]);
                            highest = IsGrease(v) ? highest : Math.Max(highest, v);
                        }

                        version = highest < 0 ? version : highest;
                    }

                    break;
            }

            if (hashedCount < extensions.Length)
            {
                extensions[hashedCount++] = (ushort)type;
            }
        }

        ciphers = ciphers[..cipherCount];
        extensions = extensions[..hashedCount];
        ciphers.Sort();
        extensions.Sort();

        Span<char> prefix = stackalloc char[10];
        prefix[0] = 't';
        (prefix[1], prefix[2]) = VersionCode(version);
        prefix[3] = sni ? 'd' : 'i';
        TwoDigits(Math.Min(cipherCount, 99), prefix[4..]);
        TwoDigits(Math.Min(extensionCount, 99), prefix[6..]);
        (prefix[8], prefix[9]) = AlpnCode(alpn);

        // The lists as ASCII, exactly as long as they are: the hash input and, for JA4_r, the text.
        Span<byte> text = stackalloc byte[((cipherCount + hashedCount + signatureCount) * 5) + 2];
        var cipherText = HexList(ciphers, text);
        var extensionLength = HexList(extensions, text[cipherText..]);
        var signatureLength = 0;
        if (signatureCount > 0)
        {
            text[cipherText + extensionLength] = (byte)'_';
            signatureLength = 1 + HexList(signatures[..signatureCount], text[(cipherText + extensionLength + 1)..]);
        }

        Span<char> result = stackalloc char[36];
        prefix.CopyTo(result);
        result[10] = '_';
        Hash12(cipherCount == 0 ? default : text[..cipherText], result[11..]);
        result[23] = '_';
        Hash12(hashedCount == 0 ? default : text.Slice(cipherText, extensionLength + signatureLength), result[24..]);
        ja4 = new string(result);
        if (raw)
        {
            Span<char> rawText = stackalloc char[12 + cipherText + extensionLength + signatureLength];
            prefix.CopyTo(rawText);
            rawText[10] = '_';
            System.Text.Encoding.ASCII.GetChars(text[..cipherText], rawText[11..]);
            rawText[11 + cipherText] = '_';
            System.Text.Encoding.ASCII.GetChars(text.Slice(cipherText, extensionLength + signatureLength), rawText[(12 + cipherText)..]);
            ja4Raw = new string(rawText);
        }

        return true;
    }

    private static int Values(ReadOnlySpan<byte> bytes, Span<ushort> into)
    {
        var count = 0;
        for (var i = 0; i + 1 < bytes.Length && count < into.Length; i += 2)
        {
            var value = BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
            if (!IsGrease(value))
            {
                into[count++] = value;
            }
        }

        return count;
    }

    private static (char, char) VersionCode(int version) => version switch
    {
        0x0304 => ('1', '3'),
        0x0303 => ('1', '2'),
        0x0302 => ('1', '1'),
        0x0301 => ('1', '0'),
        0x0300 => ('s', '3'),
        0x0002 => ('s', '2'),
        0xfeff => ('d', '1'),
        0xfefd => ('d', '2'),
        0xfefc => ('d', '3'),
        _ => ('0', '0'),
    };

    // The first and last characters of the first ALPN value; "99" when it starts with a byte outside ASCII (what the
    // reference implementation gives for the reference capture with a non-ASCII ALPN, where the specification's text
    // would give the hex form); its hex form's first and last when either end is another non-alphanumeric ASCII
    // character; "00" without one.
    private static (char, char) AlpnCode(ReadOnlySpan<byte> alpn)
    {
        if (alpn.IsEmpty)
        {
            return ('0', '0');
        }

        byte first = alpn[0], last = alpn[^1];
        if (first > 0x7f)
        {
            return ('9', '9');
        }

        if (char.IsAsciiLetterOrDigit((char)first) && char.IsAsciiLetterOrDigit((char)last))
        {
            return ((char)first, (char)last);
        }

        const string hex = "0123456789abcdef";
        return (hex[first >> 4], hex[last & 0xf]);
    }

    private static void TwoDigits(int value, Span<char> into) => (into[0], into[1]) = ((char)('0' + (value / 10)), (char)('0' + (value % 10)));

    // Comma-separated lower-case 4-digit hex values, as ASCII; answers the bytes written.
    private static int HexList(ReadOnlySpan<ushort> values, Span<byte> into)
    {
        const string hex = "0123456789abcdef";
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                into[at++] = (byte)',';
            }

            var value = values[i];
            into[at++] = (byte)hex[value >> 12];
            into[at++] = (byte)hex[(value >> 8) & 0xf];
            into[at++] = (byte)hex[(value >> 4) & 0xf];
            into[at++] = (byte)hex[value & 0xf];
        }

        return at;
    }

    // The first 12 hex characters of the text's SHA-256; "000000000000" for no values.
    private static void Hash12(ReadOnlySpan<byte> text, Span<char> into)
    {
        if (text.IsEmpty)
        {
            into[..12].Fill('0');
            return;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text, hash);
        Convert.TryToHexStringLower(hash[..6], into, out _);
    }
}
