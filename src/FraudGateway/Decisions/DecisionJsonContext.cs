using System.Text.Json.Serialization;

namespace FraudGateway.Decisions;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DecisionEntry))]
[JsonSerializable(typeof(DecisionPage))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext;
