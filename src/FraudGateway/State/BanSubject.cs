using System.Net;
using FraudGateway.Networking;
using FraudGateway.Privacy;

namespace FraudGateway.State;

// What a ban applies to, by HMAC only: the store never holds the address itself.
public readonly record struct BanSubject(BanSubjectKind Kind, string Id)
{
    // Built once: it is the hash tag of the subject's keys and is read several times per request.
    public string Token { get; } = (Kind == BanSubjectKind.Address ? "i:" : "p:") + Id;

    public static BanSubject ForAddress(IPAddress address, SubjectHasher hasher) =>
        new(BanSubjectKind.Address, hasher.Hash("ip", address.Normalize().ToString()));

    public static BanSubject ForPrefix(IPNetwork prefix, SubjectHasher hasher) =>
        new(BanSubjectKind.Prefix, hasher.Hash("prefix", prefix.ToString()));

    public static bool TryParseToken(string token, out BanSubject subject)
    {
        subject = default;
        if (token.Length != 34 || token[1] != ':' || token[0] is not ('i' or 'p') || !token.AsSpan(2).ContainsOnlyHex())
        {
            return false;
        }

        subject = new BanSubject(token[0] == 'i' ? BanSubjectKind.Address : BanSubjectKind.Prefix, token[2..].ToLowerInvariant());
        return true;
    }
}

internal static class HexExtensions
{
    public static bool ContainsOnlyHex(this ReadOnlySpan<char> span) => !span.ContainsAnyExcept("0123456789abcdefABCDEF");
}
