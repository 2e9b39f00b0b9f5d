namespace FraudGateway.Observation;

/// <summary>
/// The state of a dependency that fails (the store, a captcha provider) for its log: the first failure starts an
/// outage, then at most one summary per <see cref="SummaryInterval"/> counts the failures since the last line, and
/// the first success after failures ends it. A flood of failing requests becomes a handful of log lines; the metrics
/// still count each failure. The caller logs with its own messages.
/// </summary>
internal sealed class OutageTracker(TimeProvider time)
{
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private DateTimeOffset _lastLine;
    private long _sinceLastLine;
    private long _total;
    private volatile bool _failing;

    public bool IsFailing => _failing;

    /// <summary>Counts a failure and says what to log: the start, a summary (with its numbers), or nothing.</summary>
    public OutageLine Failed()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _total++;
            if (_since is not { } since)
            {
                _since = _lastLine = now;
                _sinceLastLine = 0;
                _failing = true;
                return new OutageLine(OutageLineKind.Started, 1, 0, 0);
            }

            _sinceLastLine++;
            if (now - _lastLine < SummaryInterval)
            {
                return default;
            }

            var line = new OutageLine(OutageLineKind.Continues, _sinceLastLine, (long)(now - _lastLine).TotalSeconds, (long)(now - since).TotalSeconds);
            _lastLine = now;
            _sinceLastLine = 0;
            return line;
        }
    }

    /// <summary>Every success calls this (outside an outage it costs one volatile read); the end of an outage is
    /// returned with its length and its failures.</summary>
    public OutageLine Succeeded()
    {
        if (!_failing)
        {
            return default;
        }

        lock (_lock)
        {
            if (_since is not { } since)
            {
                return default;
            }

            var line = new OutageLine(OutageLineKind.Ended, _total, 0, (long)(time.GetUtcNow() - since).TotalSeconds);
            _since = null;
            _total = 0;
            _failing = false;
            return line;
        }
    }
}

internal enum OutageLineKind
{
    None,
    Started,
    Continues,
    Ended,
}

/// <summary>What an outage's log line says: failures (since the last line, or in all for Ended), the interval and the
/// outage's length so far, in seconds.</summary>
internal readonly record struct OutageLine(OutageLineKind Kind, long Failures, long IntervalSeconds, long OutageSeconds);
