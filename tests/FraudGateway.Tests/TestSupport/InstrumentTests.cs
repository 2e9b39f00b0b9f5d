using System.Diagnostics.Metrics;
using FraudGateway.Observation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace FraudGateway.Tests.TestSupport;

// The base of a test class that checks instruments one at a time, as ASP.NET Core tests its meters: a meter factory of
// the test's own, a MetricCollector on one instrument of the gateway's meter, and an exact check of a measurement's tags.
public abstract class InstrumentTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    protected IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

    protected MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(Factory, GatewayMetrics.MeterName, instrument);

    protected static void AssertTags<T>(CollectedMeasurement<T> measurement, params (string Key, object Value)[] tags)
        where T : struct
    {
        Assert.Equal(tags.Length, measurement.Tags.Count);
        foreach (var (key, value) in tags)
        {
            Assert.Equal(value, measurement.Tags[key]);
        }
    }
}
