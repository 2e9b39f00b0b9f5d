using FraudGateway.Decisions;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Decisions;

public class RecordingGateTests
{
    [Fact]
    public void TryEnter_LetsMaxRecordsPerSecondThroughPerPolicy_AndOpensAgainNextSecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var gate = new RecordingGate(new DecisionOptions { MaxRecordsPerSecond = 3 }, time);

        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => gate.TryEnter("login")));
        Assert.True(gate.TryEnter("contact-form"));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => gate.TryEnter("login")));
    }
}
