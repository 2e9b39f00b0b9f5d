using System.Net;
using FraudGateway.Networking;
using FraudGateway.Privacy;

namespace FraudGateway.State;

// What a ban applies to, by HMAC only: the store never holds the address itself.
public readonly record struct BanSubject(BanSubjectKind Kind, string Id)
{
    // Built once: it is the hash tag of the subject's keys and is read several times per request.
    public string Token { get; } = StoreKeys.SubjectTag(Kind, Id);

    public static BanSubject ForAddress(IPAddress address, SubjectHasher hasher) =>
        new(BanSubjectKind.Address, hasher.Hash("ip", address.Normalize().ToString()));

    public static BanSubject ForPrefix(IPNetwork prefix, SubjectHasher hasher) =>
        new(BanSubjectKind.Prefix, hasher.Hash("prefix", prefix.ToString()));

    public static bool TryParseToken(string token, out BanSubject subject)
    {
        subject = StoreKeys.TryParseSubjectTag(token, out var kind, out var id) ? new BanSubject(kind, id) : default;
        return subject.Id is not null;
    }
}
