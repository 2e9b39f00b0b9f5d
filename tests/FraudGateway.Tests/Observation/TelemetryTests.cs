using FraudGateway.Configuration;
using FraudGateway.Observation;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Observation;

public class TelemetryTests
{
    private static Telemetry.Settings Read(string? enabled, string? platform) => Telemetry.Read(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FraudGateway:Metrics:Enabled"] = enabled,
            ["FraudGateway:Metrics:Platform"] = platform,
        })
        .Build());

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
    public void Read_BadValues_OneStartupErrorNamingBoth()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Read("yes", "some"));

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains("FraudGateway:Metrics:Enabled: 'yes' is not true or false.", error.Message);
        Assert.Contains("FraudGateway:Metrics:Platform: 'some' is not Essential, All or None.", error.Message);
    }
}
