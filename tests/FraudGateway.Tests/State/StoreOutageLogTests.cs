using FraudGateway.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.State;

public class StoreOutageLogTests
{
    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }

    // 50 failing requests a second for 25 s: one line when it starts, one per 10 s after, one when it is over.
    [Fact]
    public void An_outage_is_a_few_lines_not_one_per_failure()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var logger = new ListLogger();
        var outage = new StoreOutageLog(time, logger);

        outage.Succeeded();
        Assert.Empty(logger.Lines);
        for (var i = 0; i < 25 * 50; i++)
        {
            outage.Failed("count", "TimeoutException");
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.True(outage.IsFailing);
        outage.Succeeded();
        outage.Succeeded();

        Assert.Equal(4, logger.Lines.Count);
        Assert.StartsWith("Store operation count failed (TimeoutException)", logger.Lines[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, logger.Lines[1].Level);
        Assert.Contains("Store still failing: 500 operations failed in the last 10 s", logger.Lines[1].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, logger.Lines[3].Level);
        Assert.Equal("Store answering again after 25 s of failures (1250 operations failed).", logger.Lines[3].Message);
        Assert.False(outage.IsFailing);

        // The next outage starts afresh.
        outage.Failed("find-ban", "RedisConnectionException");
        Assert.Equal(5, logger.Lines.Count);
        Assert.StartsWith("Store operation find-ban failed", logger.Lines[4].Message, StringComparison.Ordinal);
    }
}
