using System.Text.Json.Serialization;

namespace FraudGateway.Model;

// Written into the model file next to ML.NET's own entries (RiskModel.MetadataEntry): what the model expects and
// where it came from.
public sealed class ModelMetadata
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; }

    [JsonPropertyName("featureNames")]
    public string[] FeatureNames { get; set; } = [];

    [JsonPropertyName("trainer")]
    public string Trainer { get; set; } = "";

    [JsonPropertyName("seed")]
    public int Seed { get; set; }

    [JsonPropertyName("trainedAt")]
    public DateTimeOffset TrainedAt { get; set; }

    [JsonPropertyName("trainingData")]
    public string[] TrainingData { get; set; } = [];

    [JsonPropertyName("trainingRows")]
    public int TrainingRows { get; set; }

    [JsonPropertyName("suggestedChallengeThreshold")]
    public double SuggestedChallengeThreshold { get; set; }

    [JsonPropertyName("suggestedBlockThreshold")]
    public double SuggestedBlockThreshold { get; set; }
}
