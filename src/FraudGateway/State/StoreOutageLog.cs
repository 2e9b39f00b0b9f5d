using FraudGateway.Observation;

namespace FraudGateway.State;

// What the log says while the store fails: one Warning when it starts failing, then at most one line per
// SummaryInterval with how many operations failed since the last line, then one line when it answers again, with the
// outage's length and its failures. A flood of failing requests is a handful of lines, not one per request; the
// metric (fraudgateway.store.failures) still counts each failure.
internal sealed partial class StoreOutageLog(TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan SummaryInterval = OutageTracker.SummaryInterval;

    private readonly OutageTracker _outage = new(time);

    public bool IsFailing => _outage.IsFailing;

    public void Failed(string operation, string error)
    {
        var line = _outage.Failed();
        if (line.Kind == OutageLineKind.Started)
        {
            Log.OutageStarted(logger, operation, error);
        }
        else if (line.Kind == OutageLineKind.Continues)
        {
            Log.OutageContinues(logger, line.Failures, line.IntervalSeconds, line.OutageSeconds, error);
        }
    }

    // Every successful operation calls this; outside an outage it costs one volatile read.
    public void Succeeded()
    {
        if (_outage.Succeeded() is { Kind: OutageLineKind.Ended } line)
        {
            Log.OutageEnded(logger, line.OutageSeconds, line.Failures);
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
