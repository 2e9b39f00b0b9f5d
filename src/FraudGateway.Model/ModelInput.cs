using Microsoft.ML.Data;

namespace FraudGateway.Model;

// The row the model is trained and scored on: the feature vector (FeatureSchema order), the label and a weight.
public sealed class ModelInput
{
    [VectorType(FeatureSchema.Count)]
    public float[] Features { get; set; } = new float[FeatureSchema.Count];

    public bool Label { get; set; }

    public float Weight { get; set; } = 1;
}

// What scoring reads back: the calibrated probability of "abusive".
public sealed class ScoreOutput
{
    public float Probability { get; set; }
}

// Scoring with the explanation: per-slot contributions to the tree ensemble's raw score (only the top positive
// ones are non-zero).
public sealed class ExplainedOutput
{
    public float Probability { get; set; }

    [VectorType(FeatureSchema.Count)]
    public float[] FeatureContributions { get; set; } = [];
}
