using FraudGateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FraudGateway.Tests.TestSupport;

public static class TestSettings
{
    public static GatewaySettingsProvider Provider(params (string Key, string? Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var result = GatewayConfigLoader.Load(configuration);
        var settings = result.Settings ?? throw new GatewayConfigurationException(result.Errors);
        return new GatewaySettingsProvider(configuration, settings, NullLogger<GatewaySettingsProvider>.Instance);
    }
}
