using FraudGateway.Observation;

namespace FraudGateway.State;

// What the log says while the store fails: one Warning when it starts failing, then at most one line per
// SummaryInterval with how many operations failed since the last line, then one line when it answers again, with the
// outage's length and its failures. A flood of failing requests is a handful of lines, not one per request; the
// metric (fraudgateway.store.failures) still counts each failure.
internal sealed partial class StoreOutageLog(TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private DateTimeOffset _lastLine;
    private long _sinceLastLine;
    private long _total;
    private volatile bool _failing;

    public bool IsFailing => _failing;

    public void Failed(string operation, string error)
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
                Log.OutageStarted(logger, operation, error);
                return;
            }

            _sinceLastLine++;
            if (now - _lastLine >= SummaryInterval)
            {
                Log.OutageContinues(logger, _sinceLastLine, (long)(now - _lastLine).TotalSeconds, (long)(now - since).TotalSeconds, error);
                _lastLine = now;
                _sinceLastLine = 0;
            }
        }
    }

    // Every successful operation calls this; outside an outage it costs one volatile read.
    public void Succeeded()
    {
        if (!_failing)
        {
            return;
        }

        lock (_lock)
        {
            if (_since is not { } since)
            {
                return;
            }

            var outage = time.GetUtcNow() - since;
            Log.OutageEnded(logger, (long)outage.TotalSeconds, _total);
            _since = null;
            _total = 0;
            _failing = false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.StoreOutageStarted, EventName = nameof(LogEvents.StoreOutageStarted), Level = LogLevel.Warning,
            Message = "Store operation {Operation} failed ({Error}); each policy's OnStoreFailure applies until the store answers. Further failures are summarised.")]
        public static partial void OutageStarted(ILogger logger, string operation, string error);

        [LoggerMessage(EventId = LogEvents.StoreOutageContinues, EventName = nameof(LogEvents.StoreOutageContinues), Level = LogLevel.Warning,
            Message = "Store still failing: {Failures} operations failed in the last {IntervalSeconds} s ({OutageSeconds} s since the first; latest: {Error}).")]
        public static partial void OutageContinues(ILogger logger, long failures, long intervalSeconds, long outageSeconds, string error);

        [LoggerMessage(EventId = LogEvents.StoreOutageEnded, EventName = nameof(LogEvents.StoreOutageEnded), Level = LogLevel.Information,
            Message = "Store answering again after {OutageSeconds} s of failures ({Failures} operations failed).")]
        public static partial void OutageEnded(ILogger logger, long outageSeconds, long failures);
    }
}
