using FraudGateway.Model;
using FraudGateway.Trainer.Data;

namespace FraudGateway.Tests.Trainer;

public class RecordReaderTests
{
    private static RecordReader Reader() => new(new FeatureExtractor(IpLists.None));

    [Fact]
    public void Reads_a_request_line()
    {
        var r = Reader().ReadLine("""{"timestamp":"2026-11-28T10:00:00Z","ip":"8.8.8.8","userAgent":"curl/8.5.0","headers":{"accept":"*/*"},"counters":{"failuresPerIp":3},"label":1,"scenario":"x"}""", 1);
        Assert.True(r.IsValid, r.Error);
        Assert.True(r.Label);
        Assert.Equal(3, r.Features![FeatureSchema.FailuresPerIp]);
        Assert.Equal(1, r.Features[FeatureSchema.UaAutomationToken]);
        Assert.Equal(1, r.Features[FeatureSchema.UaKnownBot]);
    }

    [Fact]
    public void Reads_the_feature_form_of_exported_decision_records()
    {
        var r = Reader().ReadLine("""{"features":{"ua_missing":1,"failures_per_ip":12},"label":0}""", 5);
        Assert.True(r.IsValid, r.Error);
        Assert.False(r.Label);
        Assert.Equal(12, r.Features![FeatureSchema.FailuresPerIp]);
        Assert.Equal(-1, r.Features[FeatureSchema.UaLength]);
    }

    [Theory]
    [InlineData("""{"timestamp":"2026-11-28T10:00:00Z","counters":{"failuresPerIp":"many"}}""", "line 7: counters.failuresPerIp is not a number")]
    [InlineData("""{"timestamp":"2026-11-28T10:00:00Z","counters":{"nope":1}}""", "line 7: counters.nope is not a known counter")]
    [InlineData("""{"timestamp":"yesterday"}""", "line 7: timestamp 'yesterday' is not an ISO 8601")]
    [InlineData("""{"ip":"8.8.8.8"}""", "line 7: timestamp is missing")]
    [InlineData("""{"timestamp":"2026-11-28T10:00:00Z","ip":"999.1.1.1"}""", "line 7: ip '999.1.1.1' is not an IP address")]
    [InlineData("""{"features":{"bogus":1}}""", "line 7: features.bogus is not a feature")]
    [InlineData("""{"timestamp":"2026-11-28T10:00:00Z","label":2}""", "line 7: label must be 0, 1, true or false")]
    [InlineData("""not json""", "line 7: not valid JSON")]
    [InlineData("""[1,2]""", "line 7: not a JSON object")]
    public void Bad_lines_become_errors_naming_line_and_field(string line, string error)
    {
        var r = Reader().ReadLine(line, 7);
        Assert.False(r.IsValid);
        Assert.StartsWith(error, r.Error);
    }

    [Fact]
    public void Inter_arrival_features_are_replayed_per_ip_in_file_order()
    {
        var text = string.Join('\n', Enumerable.Range(0, 5).Select(i => $$"""{"timestamp":"2026-11-28T10:0{{i}}:00Z","ip":"8.8.8.8"}"""));
        var records = Reader().Read(new StringReader(text)).ToList();
        Assert.Equal(-1, records[0].Features![FeatureSchema.SecondsSincePrevious]);
        Assert.Equal(60, records[1].Features![FeatureSchema.SecondsSincePrevious]);
        Assert.Equal(0, records[4].Features![FeatureSchema.InterArrivalCv], 5);
    }
}
