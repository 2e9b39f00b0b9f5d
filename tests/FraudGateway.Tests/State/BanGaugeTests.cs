using System.Diagnostics.Metrics;
using FraudGateway.Observation;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.State;

public class BanGaugeTests
{
    [Fact]
    public async Task Gauge_ReportsTheLiveBans_CountedInTheBackground()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.Zero));
        var store = new InMemoryGatewayStore(time);
        var now = time.GetUtcNow();
        await store.AddBanAsync(new BanRecord(new BanSubject(BanSubjectKind.Address, "a1"), "test", now, now.AddMinutes(10)), default);
        await store.AddBanAsync(new BanRecord(new BanSubject(BanSubjectKind.Address, "a2"), "test", now, now.AddMinutes(10)), default);
        var gauge = new BanGauge(store, factory);

        long? observed = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "fraudgateway.bans.active")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        await gauge.StartAsync(default);

        // The first observation starts the count; a later one reports it.
        for (var i = 0; i < 200 && observed is null; i++)
        {
            listener.RecordObservableInstruments();
            await Task.Yield();
        }

        Assert.Equal(2, observed);
    }
}
