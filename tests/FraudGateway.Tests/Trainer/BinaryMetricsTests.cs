using FraudGateway.Trainer.Evaluation;

namespace FraudGateway.Tests.Trainer;

public class BinaryMetricsTests
{
    [Fact]
    public void Auc_of_perfect_random_and_inverted_rankings()
    {
        bool[] labels = [false, false, true, true];
        Assert.Equal(1.0, BinaryMetrics.AucRoc([0.1f, 0.2f, 0.8f, 0.9f], labels));
        Assert.Equal(0.0, BinaryMetrics.AucRoc([0.9f, 0.8f, 0.2f, 0.1f], labels));
        Assert.Equal(0.5, BinaryMetrics.AucRoc([0.5f, 0.5f, 0.5f, 0.5f], labels));
        Assert.Equal(0.75, BinaryMetrics.AucRoc([0.1f, 0.6f, 0.5f, 0.9f], labels));
        Assert.True(double.IsNaN(BinaryMetrics.AucRoc([0.1f], [true])));
    }

    [Fact]
    public void Average_precision_and_threshold_counts()
    {
        bool[] labels = [true, false, true, false];
        float[] scores = [0.9f, 0.8f, 0.7f, 0.1f];
        Assert.Equal((1.0 + (2.0 / 3)) / 2, BinaryMetrics.AucPr(scores, labels), 10);

        var at = BinaryMetrics.AtThreshold(scores, labels, 0.75);
        Assert.Equal((1, 1, 1, 1), (at.TruePositives, at.FalsePositives, at.TrueNegatives, at.FalseNegatives));
        Assert.Equal(0.5, at.Precision);
        Assert.Equal(0.5, at.Recall);
        Assert.Equal(0.5, at.FalsePositiveRate);
    }

    [Fact]
    public void Threshold_for_a_false_positive_budget_lets_no_more_negatives_through()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble()).ToArray();
        var labels = new bool[1000];
        var t = BinaryMetrics.ThresholdForFalsePositiveRate(scores, labels, 0.01);
        Assert.True(BinaryMetrics.AtThreshold(scores, labels, t).FalsePositiveRate <= 0.01);
    }
}
