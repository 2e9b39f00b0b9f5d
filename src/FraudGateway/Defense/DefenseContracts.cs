using System.Text.Json.Serialization;

namespace FraudGateway.Defense;

// POST /admin/defense: force a route's defended mode on or off for ttlSeconds, or give it back to the detector (auto).
internal sealed record DefenseRequest(string? Policy, string? Route, string? Mode, int? TtlSeconds);

// POST /admin/devices/revoke: every trusted-device token of an account stops being trusted.
internal sealed record DeviceRevocationRequest(string? Account);

// GET /admin/defense: each route's state on this instance, the window it read last and the baseline it compares with.
internal sealed record DefenseView(string Policy, string Route, string State, bool Defended, DateTimeOffset? DetectedSince, DateTimeOffset? LastSeen,
    string? Forced, DateTimeOffset? ForcedUntil, int WindowSeconds, long Attempts, long Successes, long Unproven, double UnprovenShare,
    double BaselineUnproven, double BaselineShare, string BaselineSource, double TriggerUnproven, double TriggerShare, long Breached, double BreachedShare);

internal sealed record DefenseList(IReadOnlyList<DefenseView> Routes);

[JsonSerializable(typeof(DefenseRequest))]
[JsonSerializable(typeof(DeviceRevocationRequest))]
[JsonSerializable(typeof(DefenseList))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class DefenseJsonContext : JsonSerializerContext;
