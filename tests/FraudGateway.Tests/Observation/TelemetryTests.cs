using FraudGateway.Observation;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Observation;

public class TelemetryTests
{
    private static Telemetry.Settings Read(string? enabled, string? platform) => Read(enabled, platform, []);

    private static Telemetry.Settings Read(string? enabled, string? platform, List<string> errors) => Telemetry.Parse(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FraudGateway:Metrics:Enabled"] = enabled,
            ["FraudGateway:Metrics:Platform"] = platform,
        })
        .Build(), errors);

    [Theory]
    [InlineData(null, null, true, "Essential")]
    [InlineData("true", "Essential", true, "Essential")]
    [InlineData("True", "true", true, "Essential")]
    [InlineData(null, "all", true, "All")]
    [InlineData(null, " None ", true, "None")]
    [InlineData(null, "false", true, "None")]
    [InlineData("false", null, false, "Essential")]
    public void Read_KnownValues(string? enabled, string? platform, bool expectedEnabled, string expectedPlatform)
    {
        Assert.Equal(new Telemetry.Settings(expectedEnabled, Enum.Parse<Telemetry.PlatformMetrics>(expectedPlatform)), Read(enabled, platform));
    }

    [Fact]
    public void Read_BadValues_BothNamed()
    {
        var errors = new List<string>();
        Read("yes", "some", errors);

        Assert.Equal(2, errors.Count);
        Assert.Contains("FraudGateway:Metrics:Enabled: 'yes' is not true or false.", errors);
        Assert.Contains("FraudGateway:Metrics:Platform: 'some' is not Essential, All or None.", errors);
    }
}
