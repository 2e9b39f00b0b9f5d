using System.Text.Json.Serialization;

namespace FraudGateway.State;

// The JSON form of a BanRecord in Redis.
internal sealed record StoredBan(string Subject, string Reason, long CreatedAtMs, long ExpiresAtMs)
{
    public static StoredBan From(BanRecord record) =>
        new(record.Subject.Token, record.Reason, record.CreatedAt.ToUnixTimeMilliseconds(), record.ExpiresAt.ToUnixTimeMilliseconds());

    public BanRecord? ToRecord() =>
        BanSubject.TryParseToken(Subject, out var subject)
            ? new BanRecord(subject, Reason, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs))
            : null;
}

[JsonSerializable(typeof(StoredBan))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
