using System.Text.Json.Serialization;

namespace FraudGateway.Decisions;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DecisionEntry))]
[JsonSerializable(typeof(DecisionPage))]
[JsonSerializable(typeof(DecisionLabel))]
[JsonSerializable(typeof(LabelRequest))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext;
