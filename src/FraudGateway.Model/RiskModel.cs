using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace FraudGateway.Model;

// A loaded model file: ML.NET's tree ensemble with a feature-contribution step after it, and our metadata entry.
// A score walks the ensemble's own trees (CompiledTreeEnsemble) when they were read exactly and agree with ML.NET's
// engine at load; otherwise, and for every explanation, ML.NET's engine answers. PredictionEngine is not
// thread-safe, so engines (each with its own input/output rows) come from a pool: after warm-up a score allocates
// nothing but the reasons array.
public sealed class RiskModel
{
    public const string MetadataEntry = "fraudgateway/metadata.json";

    public const int TopReasons = 3;

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    // Contributions the model file keeps per score: more than TopReasons, so that the reasons are still the top
    // three observed signals when an unknown slot (never named) is among the largest.
    public const int ContributionsKept = 6;

    private readonly ObjectPool<Scorer<ScoreOutput>> _scorers;
    private readonly ObjectPool<Scorer<ExplainedOutput>> _explainers;
    private CompiledTreeEnsemble? _compiled;

    private RiskModel(MLContext ml, ITransformer transformer, ModelMetadata metadata, string version)
    {
        Metadata = metadata;
        Version = version;
        // Engines are made only when the pool is empty; a high cap means one made under a burst of concurrent
        // requests is kept rather than dropped and made again (making one compiles code: ~milliseconds).
        var provider = new DefaultObjectPoolProvider { MaximumRetained = 256 };
        _scorers = provider.Create(new ScorerPolicy<ScoreOutput>(ml, transformer));
        _explainers = provider.Create(new ScorerPolicy<ExplainedOutput>(ml, transformer));
    }

    public ModelMetadata Metadata { get; }

    // "<name>@<first 12 hex of the file's SHA-256>": the same bytes always give the same version.
    public string Version { get; }

    // True when scores come from the compiled trees, false when from ML.NET's engine (a model they cannot read, or
    // one on which they disagreed with the engine at load).
    public bool UsesCompiledTrees => _compiled is not null;

    // Probe vectors the compiled trees must score exactly as the engine does before they are used: at least this many,
    // and enough to set every split's feature at, just below and just above its threshold
    // (CompiledTreeEnsemble.ProbeVectors).
    public const int AgreementProbes = 1000;

    public float Score(ReadOnlySpan<float> features) => _compiled is { } compiled ? compiled.Score(features) : ScoreWithEngine(features);

    // ML.NET's prediction engine, whatever the model holds.
    public float ScoreWithEngine(ReadOnlySpan<float> features)
    {
        var scorer = _scorers.Get();
        try
        {
            features.CopyTo(scorer.Input.Features);
            scorer.Engine.Predict(scorer.Input, ref scorer.Output);
            return scorer.Output.Probability;
        }
        finally
        {
            _scorers.Return(scorer);
        }
    }

    // The score and the features that pushed it up most (ML.NET feature contribution of the tree ensemble).
    public RiskScore Explain(ReadOnlySpan<float> features)
    {
        var scorer = _explainers.Get();
        try
        {
            features.CopyTo(scorer.Input.Features);
            scorer.Engine.Predict(scorer.Input, ref scorer.Output);
            return new RiskScore(scorer.Output.Probability, TopContributions(scorer.Output.FeatureContributions, features));
        }
        finally
        {
            _explainers.Return(scorer);
        }
    }

    public static RiskModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"Model file '{path}' cannot be read: {e.Message}", e);
        }

        return Load(bytes, path);
    }

    public static RiskModel Load(byte[] bytes, string source)
    {
        ModelMetadata? metadata;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var entry = zip.GetEntry(MetadataEntry)
                ?? throw new ModelLoadException($"Model file '{source}' has no {MetadataEntry}: it was not written by the FraudGateway trainer.");
            using var stream = entry.Open();
            metadata = JsonSerializer.Deserialize<ModelMetadata>(stream);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            throw new ModelLoadException($"Model file '{source}' is not a readable model (zip or metadata damaged): {e.Message}", e);
        }

        if (metadata is null || metadata.SchemaVersion != FeatureSchema.Version || !metadata.FeatureNames.SequenceEqual(FeatureSchema.Names))
        {
            throw new ModelLoadException(
                $"Model file '{source}' was trained on feature schema {metadata?.SchemaVersion} with {metadata?.FeatureNames.Length} features; " +
                $"this build extracts schema {FeatureSchema.Version} with {FeatureSchema.Count}. Retrain it with this build's trainer.");
        }

        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        try
        {
            transformer = ml.Model.Load(new MemoryStream(bytes), out _);
        }
        catch (Exception e)
        {
            throw new ModelLoadException($"Model file '{source}' could not be loaded by ML.NET: {e.Message}", e);
        }

        var version = $"{metadata.Name}@{Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]}";
        var model = new RiskModel(ml, transformer, metadata, version);
        try
        {
            // Fails here, not on the first request, when the file holds a model of another shape.
            model.Explain(new float[FeatureSchema.Count]);
        }
        catch (Exception e) when (e is not ModelLoadException)
        {
            throw new ModelLoadException($"Model file '{source}' loads but cannot score this build's feature vector: {e.Message}", e);
        }

        model._compiled = Agrees(CompiledTreeEnsemble.Create(transformer), model);
        return model;
    }

    // The compiled trees when they give the engine's score, to the bit, on every probe vector; otherwise null.
    private static CompiledTreeEnsemble? Agrees(CompiledTreeEnsemble? compiled, RiskModel model)
    {
        if (compiled is null || compiled.MaxFeatureIndex >= FeatureSchema.Count)
        {
            return null;
        }

        foreach (var probe in compiled.ProbeVectors(AgreementProbes, FeatureSchema.Count))
        {
            if (compiled.Score(probe) != model.ScoreWithEngine(probe))
            {
                return null;
            }
        }

        return compiled;
    }

    // Writes ML.NET's model zip, then adds the metadata entry to it.
    public static void Save(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, ModelMetadata metadata, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        ml.Model.Save(transformer, inputSchema, temp);
        using (var zip = ZipFile.Open(temp, ZipArchiveMode.Update))
        {
            var entry = zip.CreateEntry(MetadataEntry);
            using var stream = entry.Open();
            JsonSerializer.Serialize(stream, metadata, IndentedJson);
        }

        // A watcher (the gateway's hot reload) sees one complete file, never a half-written one.
        File.Move(temp, path, overwrite: true);
    }

    // Only observed, unusual signals are named: a slot the request did not have (-1 in an optional slot) or that has an
    // ordinary browser request's value (FeatureSchema.OrdinaryValues) is never a reason.
    private static RiskReason[] TopContributions(float[] contributions, ReadOnlySpan<float> features)
    {
        Span<int> top = stackalloc int[TopReasons];
        var found = 0;
        for (var slot = 0; slot < contributions.Length; slot++)
        {
            var c = contributions[slot];
            if (c <= 0 || FeatureSchema.IsUnknown(slot, features[slot]) || FeatureSchema.IsOrdinary(slot, features[slot]))
            {
                continue;
            }

            int at;
            if (found < TopReasons)
            {
                at = found++;
            }
            else if (c > contributions[top[TopReasons - 1]])
            {
                at = TopReasons - 1;
            }
            else
            {
                continue;
            }

            // Keep top[] in descending order of contribution.
            while (at > 0 && contributions[top[at - 1]] < c)
            {
                top[at] = top[at - 1];
                at--;
            }

            top[at] = slot;
        }

        var reasons = new RiskReason[found];
        for (var i = 0; i < found; i++)
        {
            reasons[i] = new RiskReason(FeatureSchema.Names[top[i]], features[top[i]], contributions[top[i]]);
        }

        return reasons;
    }

    private sealed class Scorer<TOutput>(PredictionEngine<ModelInput, TOutput> engine)
        where TOutput : class, new()
    {
        public readonly PredictionEngine<ModelInput, TOutput> Engine = engine;
        public readonly ModelInput Input = new();
        public TOutput Output = new();
    }

    private sealed class ScorerPolicy<TOutput>(MLContext ml, ITransformer transformer) : PooledObjectPolicy<Scorer<TOutput>>
        where TOutput : class, new()
    {
        public override Scorer<TOutput> Create() => new(ml.Model.CreatePredictionEngine<ModelInput, TOutput>(transformer));

        public override bool Return(Scorer<TOutput> obj) => true;
    }
}
