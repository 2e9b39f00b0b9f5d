using System.Diagnostics.Metrics;
using FraudGateway.Observation;
using Microsoft.Extensions.DependencyInjection;

namespace FraudGateway.Tests.TestSupport;

// The gateway's instruments on a meter factory of their own (nothing listens unless a test adds a MeterListener).
public static class TestMetrics
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    internal static GatewayMetrics Create() => new(Services.GetRequiredService<IMeterFactory>());
}
