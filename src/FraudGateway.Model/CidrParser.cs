using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FraudGateway.Model;

// The one parser of CIDR text, for the gateway's allow/deny lists and trusted proxies and for the model's address
// list files. System.Net.IPNetwork does the parsing; this adds what an operator needs: bare addresses (a /32 or
// /128), IPv4-mapped IPv6 as IPv4, and an error that says what is wrong ("did you mean ...").
public static class CidrParser
{
    // Accepts "203.0.113.0/24", "2001:db8::/32" and bare addresses. A network with host bits set ("10.0.0.1/8") is
    // refused rather than silently widened or narrowed: in an allow or deny list that is almost always a typo.
    // clearHostBits: take it as its network instead (third-party list files, which the operator does not write).
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPNetwork? network, out string? error, bool clearHostBits = false)
    {
        network = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var value = text.Trim();
        var slash = value.IndexOf('/');
        var addressPart = slash < 0 ? value : value[..slash];
        if (addressPart.Contains('%') || !IPAddress.TryParse(addressPart, out var address))
        {
            error = $"'{text}' is not an IP address or CIDR network";
            return false;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var maxLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = maxLength;
        if (slash >= 0 && (!int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > maxLength))
        {
            error = $"'{text}' has an invalid prefix length (0-{maxLength})";
            return false;
        }

        var networkAddress = NetworkAddress(address, length);
        if (clearHostBits)
        {
            address = networkAddress;
        }

        // IPNetwork either refuses host bits or clears them, depending on the runtime: both are refused here.
        if (!IPNetwork.TryParse($"{address}/{length}", out var parsed) || !parsed.BaseAddress.Equals(address))
        {
            error = $"'{text}' has host bits set; did you mean '{networkAddress}/{length}'?";
            return false;
        }

        network = parsed;
        return true;
    }

    private static IPAddress NetworkAddress(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(prefixLength - (i * 8), 0, 8)));
        }

        return new IPAddress(bytes);
    }
}
