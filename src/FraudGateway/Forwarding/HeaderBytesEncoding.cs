using System.Text;

namespace FraudGateway.Forwarding;

// How Kestrel turns request header bytes into strings (GatewayHost's RequestHeaderEncodingSelector): UTF-8 when the
// bytes are valid UTF-8 (what clients that send non-ASCII mostly send), otherwise Latin-1 (RFC 9110's obs-text, e.g.
// one byte of "Versão" in an Android build name). Kestrel's default refuses both with a bare 400 before any of the
// gateway's code runs, so that person could never log in. Clusters forward the value as UTF-8
// (PolicyRouteConfigFilter): a UTF-8 value leaves byte for byte as it came, a Latin-1 one as its UTF-8 spelling, which
// an upstream that reads headers as UTF-8 (ASP.NET Core's default) accepts. Kestrel still refuses control characters.
internal sealed class HeaderBytesEncoding : Encoding
{
    public static readonly HeaderBytesEncoding Instance = new();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsUtf8(byte[] bytes, int index, int count) => System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(index, count));

    public override int GetCharCount(byte[] bytes, int index, int count) =>
        IsUtf8(bytes, index, count) ? StrictUtf8.GetCharCount(bytes, index, count) : count;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
        IsUtf8(bytes, byteIndex, byteCount) ? StrictUtf8.GetChars(bytes, byteIndex, byteCount, chars, charIndex) : Latin1.GetChars(bytes, byteIndex, byteCount, chars, charIndex);

    public override int GetMaxCharCount(int byteCount) => byteCount;

    public override int GetByteCount(char[] chars, int index, int count) => StrictUtf8.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) => StrictUtf8.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetMaxByteCount(int charCount) => StrictUtf8.GetMaxByteCount(charCount);
}
