using System.IO.Compression;
using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class RiskModelTests
{
    private static readonly Lazy<RiskModel> Shipped = new(() => RiskModel.Load(RepoPaths.ShippedModel));

    [Fact]
    public void Shipped_model_loads_with_its_metadata_and_version()
    {
        var model = Shipped.Value;
        Assert.Equal(FeatureSchema.Version, model.Metadata.SchemaVersion);
        Assert.StartsWith("fraudgateway@", model.Version);
        Assert.Equal(25, model.Version.Length);
        Assert.InRange(model.Metadata.SuggestedChallengeThreshold, 0.5, model.Metadata.SuggestedBlockThreshold);
    }

    [Fact]
    public void A_credential_stuffing_script_scores_high_with_its_reasons()
    {
        var facts = new RequestFacts { UserAgent = "python-requests/2.32.3", Accept = "*/*", Method = "POST", ContentType = "application/json", Ip = System.Net.IPAddress.Parse("8.8.4.4") };
        facts.SetCounter(FeatureSchema.DistinctAccountsPerIp, 40);
        facts.SetCounter(FeatureSchema.FailuresPerIp, 39);
        var vector = new FeatureExtractor(IpLists.None).Extract(facts);
        var result = Shipped.Value.Explain(vector);
        Assert.True(result.Probability >= Shipped.Value.Metadata.SuggestedBlockThreshold, $"score {result.Probability}");
        Assert.InRange(result.Reasons.Length, 1, RiskModel.TopReasons);
        Assert.All(result.Reasons, r => Assert.True(r.Contribution > 0));
        Assert.Equal(result.Reasons.OrderByDescending(r => r.Contribution), result.Reasons);
        Assert.Equal(result.Probability, Shipped.Value.Score(vector));
    }

    // Unknown is not evidence: a request with every optional signal missing is explained by what it did send.
    [Fact]
    public void Explanations_name_only_observed_signals()
    {
        var facts = new RequestFacts { UserAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", Accept = "*/*", Method = "POST", Ip = System.Net.IPAddress.Parse("8.8.4.4") };
        var vector = new FeatureExtractor(IpLists.None).Extract(facts);
        Assert.All(FeatureSchema.OptionalSlots, slot => Assert.Equal(-1, vector[slot]));
        var result = Shipped.Value.Explain(vector);
        Assert.True(result.Probability >= Shipped.Value.Metadata.SuggestedChallengeThreshold, $"score {result.Probability}");
        Assert.NotEmpty(result.Reasons);
        Assert.All(result.Reasons, r => Assert.False(FeatureSchema.IsUnknown(FeatureSchema.IndexOf(r.Feature), r.Value), $"{r.Feature}={r.Value} is not an observed signal"));
    }

    [Fact]
    public void Scoring_is_safe_from_many_threads()
    {
        var vector = new FeatureExtractor(IpLists.None).Extract(new RequestFacts { UserAgent = "curl/8.5.0" });
        var expected = Shipped.Value.Score(vector);
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => Assert.Equal(expected, Shipped.Value.Score(vector)));
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var e = Assert.Throws<ModelLoadException>(() => RiskModel.Load("/nonexistent/model.zip"));
        Assert.Contains("cannot be read", e.Message);
    }

    [Fact]
    public void Corrupt_file_is_a_clear_error()
    {
        var e = Assert.Throws<ModelLoadException>(() => RiskModel.Load("garbage"u8.ToArray(), "corrupt.zip"));
        Assert.Contains("not a readable model", e.Message);
    }

    [Fact]
    public void A_zip_without_our_metadata_is_refused()
    {
        var e = Assert.Throws<ModelLoadException>(() => RiskModel.Load(Zip(("other.txt", "x")), "plain.zip"));
        Assert.Contains("not written by the FraudGateway trainer", e.Message);
    }

    [Fact]
    public void A_model_of_another_feature_schema_is_refused()
    {
        var bytes = File.ReadAllBytes(RepoPaths.ShippedModel);
        using var stream = new MemoryStream();
        stream.Write(bytes);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(RiskModel.MetadataEntry)!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(RiskModel.MetadataEntry).Open());
            writer.Write("{\"name\":\"old\",\"schemaVersion\":0,\"featureNames\":[\"a\"]}");
        }

        var e = Assert.Throws<ModelLoadException>(() => RiskModel.Load(stream.ToArray(), "old.zip"));
        Assert.Contains("Retrain it", e.Message);
    }

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return stream.ToArray();
    }
}
