using System.Diagnostics.CodeAnalysis;
using System.Net;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Privacy;
using FraudGateway.State;
using FraudGateway.Model;

namespace FraudGateway.Management;

// Turns what an operator types ("203.0.113.7", "203.0.113.0/24", "2001:db8:1:2::/64") into a BanSubject.
// Dynamic prefix bans are looked up by the client's configured prefix, so a prefix ban must use exactly
// that length; any other range belongs in a static Deny list, and the error says so.
internal static class BanSubjectParser
{
    // A valid subject under the current key, then under every previous key still valid (key rotation).
    public static List<BanSubject> UnderActiveKeys(string text, ClientIdentitySettings identity, SubjectHasher hasher, DateTimeOffset now) =>
        hasher.ActiveKeys(now).Select(key => TryParse(text, identity, key, out var subject, out _) ? subject : (BanSubject?)null)
            .OfType<BanSubject>().ToList();

    public static bool TryParse(string? text, ClientIdentitySettings identity, SubjectHasher hasher, out BanSubject subject, [NotNullWhen(false)] out string? error)
    {
        subject = default;
        if (!CidrParser.TryParse(text, out var network, out error))
        {
            error = $"subject {error}.";
            return false;
        }

        var address = network.Value.BaseAddress;
        var isV4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var full = isV4 ? 32 : 128;
        var prefixLength = isV4 ? identity.Ipv4PrefixLength : identity.Ipv6PrefixLength;
        if (network.Value.PrefixLength == full)
        {
            subject = BanSubject.ForAddress(address, hasher);
            return true;
        }

        if (network.Value.PrefixLength == prefixLength)
        {
            subject = BanSubject.ForPrefix(network.Value, hasher);
            return true;
        }

        error = $"a dynamic ban covers one address or one /{prefixLength} {(isV4 ? "IPv4" : "IPv6")} prefix (FraudGateway:Identity); put other ranges in a Deny list.";
        return false;
    }
}
