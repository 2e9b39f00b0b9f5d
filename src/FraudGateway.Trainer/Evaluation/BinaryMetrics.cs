namespace FraudGateway.Trainer.Evaluation;

public sealed record ThresholdMetrics(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public double FalsePositiveRate => FalsePositives + TrueNegatives == 0 ? 0 : (double)FalsePositives / (FalsePositives + TrueNegatives);
}

// Ranking and threshold metrics of a binary scorer, computed from (score, label) pairs.
public static class BinaryMetrics
{
    // Area under the ROC curve: the probability that a random positive outscores a random negative (ties count half).
    public static double AucRoc(IReadOnlyList<float> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositives = 0;
        long positives = 0, negatives = 0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var averageRank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]])
                {
                    rankSumPositives += averageRank;
                    positives++;
                }
                else
                {
                    negatives++;
                }
            }

            i = j + 1;
        }

        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSumPositives - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    // Area under the precision-recall curve as average precision: precision at each positive, highest scores first.
    public static double AucPr(IReadOnlyList<float> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = labels.Count(l => l);
        if (positives == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        var truePositives = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            if (labels[order[rank]])
            {
                truePositives++;
                sum += (double)truePositives / (rank + 1);
            }
        }

        return sum / positives;
    }

    // Score >= threshold counts as "abusive".
    public static ThresholdMetrics AtThreshold(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double threshold)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var flagged = scores[i] >= threshold;
            switch (labels[i], flagged)
            {
                case (true, true):
                    tp++;
                    break;
                case (true, false):
                    fn++;
                    break;
                case (false, true):
                    fp++;
                    break;
                default:
                    tn++;
                    break;
            }
        }

        return new ThresholdMetrics(threshold, tp, fp, tn, fn);
    }

    // The lowest threshold whose false-positive rate on the negatives is at most maxFalsePositiveRate.
    public static double ThresholdForFalsePositiveRate(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, double maxFalsePositiveRate)
    {
        var negatives = scores.Where((_, i) => !labels[i]).OrderByDescending(s => s).ToArray();
        if (negatives.Length == 0)
        {
            return 0.5;
        }

        var allowed = (int)Math.Floor(negatives.Length * maxFalsePositiveRate);
        // Scores strictly above the (allowed)-th highest negative are flagged; nudge just above it.
        var boundary = negatives[Math.Min(allowed, negatives.Length - 1)];
        return Math.Min(0.999, Math.Max(0.05, Math.BitIncrement((double)boundary)));
    }
}
