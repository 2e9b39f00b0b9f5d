using System.Diagnostics.Metrics;
using FraudGateway.Observation;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.State;

public class BanGaugeTests
{
    [Fact]
    public async Task Gauge_ReportsTheLiveBans_RecountedAtMostEveryTenSeconds()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.Zero));
        var store = new InMemoryGatewayStore(time);
        var now = time.GetUtcNow();
        await store.AddBanAsync(new BanRecord(new BanSubject(BanSubjectKind.Address, "a1"), "test", now, now.AddMinutes(10)), default);
        await store.AddBanAsync(new BanRecord(new BanSubject(BanSubjectKind.Address, "a2"), "test", now, now.AddMinutes(10)), default);
        var gauge = new BanGauge(store, factory, time);

        using var collector = new MetricCollector<long>(factory, GatewayMetrics.MeterName, "fraudgateway.bans.active");
        await gauge.StartAsync(default);

        // The in-memory store answers at once, so the first observation's count is already in.
        collector.RecordObservableInstruments();
        Assert.Equal(2, collector.LastMeasurement!.Value);
        Assert.Empty(collector.LastMeasurement.Tags);

        // A new ban shows on the first observation after RefreshEvery (10 s), not before.
        await store.AddBanAsync(new BanRecord(new BanSubject(BanSubjectKind.Address, "a3"), "test", now, now.AddMinutes(10)), default);
        time.Advance(TimeSpan.FromSeconds(5));
        collector.RecordObservableInstruments();
        Assert.Equal(2, collector.LastMeasurement!.Value);
        time.Advance(TimeSpan.FromSeconds(6));
        collector.RecordObservableInstruments();
        Assert.Equal(3, collector.LastMeasurement!.Value);
    }
}
