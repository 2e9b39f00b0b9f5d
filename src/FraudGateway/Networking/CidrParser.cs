using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace FraudGateway.Networking;

public static class CidrParser
{
    // Accepts "203.0.113.0/24", "2001:db8::/32" and bare addresses (a /32 or /128).
    // A network with host bits set ("10.0.0.1/8") is refused rather than silently widened or narrowed:
    // in an allow or deny list that is almost always a typo worth stopping for.
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPNetwork? network, out string? error)
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
        if (!IPAddress.TryParse(addressPart, out var address) || addressPart.Contains('%'))
        {
            error = $"'{text}' is not an IP address or CIDR network";
            return false;
        }

        address = address.Normalize();
        var maxLength = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var length = maxLength;
        if (slash >= 0 && (!int.TryParse(value.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out length) || length > maxLength))
        {
            error = $"'{text}' has an invalid prefix length (0-{maxLength})";
            return false;
        }

        if (!address.Equals(address.ToNetworkAddress(length)))
        {
            error = $"'{text}' has host bits set; did you mean '{address.ToNetworkAddress(length)}/{length}'?";
            return false;
        }

        network = new IPNetwork(address, length);
        return true;
    }
}
