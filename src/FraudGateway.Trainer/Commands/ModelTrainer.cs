using FraudGateway.Model;
using FraudGateway.Trainer.Data;
using FraudGateway.Trainer.Evaluation;
using FraudGateway.Trainer.Simulation;
using FraudGateway.Trainer.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace FraudGateway.Trainer.Commands;

public sealed record TrainingResult(ModelMetadata Metadata, int Positives, int Negatives, double ValidationAuc);

// Trains the FastTree binary classifier (single-threaded and seeded: the same data and seed give the same model),
// appends ML.NET's feature-contribution step so the gateway can explain each score, picks the suggested
// thresholds on a validation split of the training data, and writes the model file.
public static class ModelTrainer
{
    // Suggested thresholds: the block threshold lets at most this share of benign validation traffic through to a
    // block, the challenge threshold this share to a captcha.
    public const double BlockFalsePositiveBudget = 0.001;
    public const double ChallengeFalsePositiveBudget = 0.01;
    public const double MinimumBlockThreshold = 0.9;
    public const double MinimumChallengeThreshold = 0.5;

    public static TrainingResult Train(IReadOnlyList<LoadedRecord> records, string name, int seed, int trees, string[] sources, string output, IProgress<string> progress)
    {
        // Attacks by a script-driven real browser carry no client evidence: for a model of the client they are label
        // noise that would teach it to distrust the browsers those attackers copied.
        var labelled = records.Where(r => r.Label is not null && !SimulatedRequest.IsBrowserDriven(r.Scenario)).ToList();
        if (labelled.Count == 0)
        {
            throw new TrainerException("The training data has no labelled rows (\"label\": 0 or 1).");
        }

        var positives = labelled.Count(r => r.Label == true);
        var negatives = labelled.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new TrainerException($"The training data has only one class ({positives} abusive, {negatives} benign rows); a classifier needs both.");
        }

        // Seeded: optional signals masked at the same rates for both classes, then 80% to fit, 20% to choose
        // thresholds on (masked too, so the thresholds hold for deployments that lack those signals).
        var random = new Random(seed);
        var shuffled = labelled.OrderBy(_ => random.Next())
            .Select(r => r with { Features = ClientEvidenceOnly.Apply(UnknownSignalMasking.Apply(r.Features!, random)) })
            .ToList();
        var validationCount = Math.Max(1, shuffled.Count / 5);
        var validation = shuffled.Take(validationCount).ToList();
        var fit = shuffled.Skip(validationCount).ToList();

        // Balance the classes so neither dominates the loss.
        var fitPositives = fit.Count(r => r.Label == true);
        var positiveWeight = fitPositives == 0 ? 1f : (float)(fit.Count - fitPositives) / fitPositives;
        var ml = new MLContext(seed);
        var rows = fit.Select(r => new ModelInput { Features = r.Features!, Label = r.Label == true, Weight = r.Label == true ? positiveWeight : 1f });
        var data = ml.Data.LoadFromEnumerable(rows);
        progress.Report($"fitting FastTree: {fit.Count} rows ({fitPositives} abusive), {trees} trees");
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            FeatureColumnName = nameof(ModelInput.Features),
            LabelColumnName = nameof(ModelInput.Label),
            ExampleWeightColumnName = nameof(ModelInput.Weight),
            NumberOfTrees = trees,
            NumberOfLeaves = 24,
            MinimumExampleCountPerLeaf = 20,
            LearningRate = 0.15,
            Seed = seed,
            NumberOfThreads = 1,
        });
        var predictor = trainer.Fit(data);
        var contributions = ml.Transforms.CalculateFeatureContribution(predictor, numberOfPositiveContributions: RiskModel.ContributionsKept, numberOfNegativeContributions: 0, normalize: false)
            .Fit(predictor.Transform(data));
        var chain = predictor.Append(contributions);

        progress.Report($"choosing thresholds on {validation.Count} validation rows");
        var scores = ScoreAll(ml, chain, validation);
        var labels = validation.Select(r => r.Label == true).ToList();
        // Never below 0.9 to block or 0.5 to challenge, however clean the validation data looks.
        var block = Math.Max(MinimumBlockThreshold, BinaryMetrics.ThresholdForFalsePositiveRate(scores, labels, BlockFalsePositiveBudget));
        var challenge = Math.Min(block, Math.Max(MinimumChallengeThreshold, BinaryMetrics.ThresholdForFalsePositiveRate(scores, labels, ChallengeFalsePositiveBudget)));
        var metadata = new ModelMetadata
        {
            Name = name,
            SchemaVersion = FeatureSchema.Version,
            FeatureNames = FeatureSchema.Names,
            Trainer = $"FastTree binary (ML.NET), {trees} trees, 24 leaves, learning rate 0.15, class-balanced weights; client evidence only (behaviour and request shape held constant); unknown signals masked ({UnknownSignalMasking.Describe()})",
            Seed = seed,
            TrainedAt = DateTimeOffset.UtcNow,
            TrainingData = sources,
            TrainingRows = fit.Count,
            SuggestedChallengeThreshold = Math.Round(challenge, 4),
            SuggestedBlockThreshold = Math.Round(block, 4),
        };
        RiskModel.Save(ml, chain, data.Schema, metadata, output);
        return new TrainingResult(metadata, positives, negatives, BinaryMetrics.AucRoc(scores, labels));
    }

    private static List<float> ScoreAll(MLContext ml, ITransformer model, List<LoadedRecord> rows)
    {
        var engine = ml.Model.CreatePredictionEngine<ModelInput, ScoreOutput>(model);
        var input = new ModelInput();
        var output = new ScoreOutput();
        var scores = new List<float>(rows.Count);
        foreach (var row in rows)
        {
            input.Features = row.Features!;
            engine.Predict(input, ref output);
            scores.Add(output.Probability);
        }

        return scores;
    }
}

public sealed class TrainerException(string message) : Exception(message);
