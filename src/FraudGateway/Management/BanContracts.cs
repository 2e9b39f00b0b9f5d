using System.Text.Json.Serialization;
using FraudGateway.State;

namespace FraudGateway.Management;

// POST /admin/bans
internal sealed record BanRequest(string? Subject, int? TtlSeconds, string? Reason);

// What the admin API shows of a ban. The address itself is never stored, so it cannot be shown:
// Id is the HMAC token to delete by; GET /admin/bans/lookup?subject=<ip> answers for a known address.
internal sealed record BanView(string Id, string Kind, string Reason, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    public static BanView From(BanRecord record) => new(
        record.Subject.Token,
        record.Subject.Kind == BanSubjectKind.Address ? "address" : "prefix",
        record.Reason,
        record.CreatedAt,
        record.ExpiresAt);
}

internal sealed record BanList(IReadOnlyList<BanView> Bans);

// Models: for each policy that scores, the live model's version, or null when none is loaded (the policy then runs
// on its rules alone).
internal sealed record HealthStatus(string Status, string? Store = null, Dictionary<string, string?>? Models = null);

// GET /admin/model: the live model and, when Model:CandidatePath is set, the candidate.
internal sealed record ModelStatus(ModelView Live, ModelView? Candidate);

// One model: its resolved path, its version (null when none is loaded), what computes its scores ("compiled-trees" or
// "ml.net-engine"), its training date and suggested thresholds, and the last load error.
internal sealed record ModelView(
    string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Version,
    string? Scorer,
    DateTimeOffset? TrainedAt,
    double? SuggestedChallengeThreshold,
    double? SuggestedBlockThreshold,
    string? LastError)
{
    public static ModelView Of(FraudGateway.Model.RiskModel? model, string path, string? error) => model is null
        ? new ModelView(path, null, null, null, null, null, error)
        : new ModelView(path, model.Version, model.UsesCompiledTrees ? "compiled-trees" : "ml.net-engine", model.Metadata.TrainedAt,
            model.Metadata.SuggestedChallengeThreshold, model.Metadata.SuggestedBlockThreshold, error);
}

[JsonSerializable(typeof(BanRequest))]
[JsonSerializable(typeof(ModelStatus))]
[JsonSerializable(typeof(BanView))]
[JsonSerializable(typeof(BanList))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
