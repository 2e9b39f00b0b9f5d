using System.Diagnostics.Metrics;
using FraudGateway.Defense;
using FraudGateway.Networking;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.State;
using FraudGateway.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Defense;

// SiteDefense's three instruments, each with a MetricCollector: the state gauge per policy and route, the transitions
// (detected, ended, forced) and the logins by device and defence.
public sealed class SiteDefenseMetricsTests : InstrumentTests
{
    private static readonly DetectorSettings Detector = new(Enabled: true, WindowSeconds: 60, MinUnprovenPerWindow: 60, MinUnprovenShare: 0.3,
        UnprovenMultiplier: 4, ShareMultiplier: 3, CooldownSeconds: 600, WarmupMinutes: 30, WarmupUnprovenPerWindow: 15, WarmupUnprovenShare: 0.1);

    private static readonly GatewayPolicy Login = new()
    {
        Name = "login",
        Allow = CidrSet.Empty,
        Deny = CidrSet.Empty,
        Defense = new DefenseSettings { Detector = Detector },
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly SiteDefense _defense;

    public SiteDefenseMetricsTests() =>
        _defense = new SiteDefense(new InMemorySharedFlags(_time), _time, Factory, NullLogger<SiteDefense>.Instance);

    // Warm-up over (30 quiet minutes of 300 logins, 6 % failing), then a minute where 400 of 500 fail: detected.
    private RouteDefense Attacked()
    {
        var route = _defense.For(Login, Login.Defense!, "auth");
        for (var minute = 0; minute < 31; minute++)
        {
            _defense.Observe(route, 300, 282);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        _defense.Observe(route, 500, 100);
        return route;
    }

    [Fact]
    public void State_is_zero_per_route_until_an_attack_is_detected_then_one()
    {
        using var collector = Collect<int>("fraudgateway.defense.state");
        var route = _defense.For(Login, Login.Defense!, "auth");

        collector.RecordObservableInstruments();
        Assert.Equal(0, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"), ("route", "auth"));

        Attacked();
        Assert.True(route.IsDetected(_time.GetUtcNow()));
        collector.RecordObservableInstruments();
        Assert.Equal(1, collector.LastMeasurement!.Value);
        Assert.Equal("{state}", collector.Instrument!.Unit);
    }

    [Theory]
    [InlineData("on", 2)]
    [InlineData("off", -1)]
    public async Task State_shows_an_operators_override(string mode, int state)
    {
        using var collector = Collect<int>("fraudgateway.defense.state");
        _defense.For(Login, Login.Defense!, "auth");

        await _defense.ForceAsync("login", "auth", mode, TimeSpan.FromMinutes(10), default);
        collector.RecordObservableInstruments();
        Assert.Equal(state, collector.LastMeasurement!.Value);

        _time.Advance(TimeSpan.FromMinutes(11));
        collector.RecordObservableInstruments();
        Assert.Equal(0, collector.LastMeasurement!.Value);
    }

    [Fact]
    public async Task Transitions_count_detection_its_end_and_overrides()
    {
        using var collector = Collect<long>("fraudgateway.defense.transitions");
        var route = Attacked();
        _time.Advance(TimeSpan.FromSeconds(Detector.CooldownSeconds + 60));
        _defense.Observe(route, 300, 282);
        await _defense.ForceAsync("login", "auth", "auto", TimeSpan.Zero, default);

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal(["detected", "ended", "forced-auto"], measurements.Select(m => (string)m.Tags["transition"]!));
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
        AssertTags(measurements[0], ("policy", "login"), ("route", "auth"), ("transition", "detected"));
    }

    [Theory]
    [InlineData(true, false, "trusted")]
    [InlineData(false, true, "new")]
    public void Logins_count_by_device_and_defence(bool trustedDevice, bool defended, string device)
    {
        using var collector = Collect<long>("fraudgateway.defense.logins");
        _defense.CountLogin("login", trustedDevice, defended);

        Assert.Equal(1, collector.LastMeasurement!.Value);
        AssertTags(collector.LastMeasurement, ("policy", "login"), ("device", device), ("defended", defended));
    }
}
