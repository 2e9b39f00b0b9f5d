using System.Collections.Concurrent;
using FraudGateway.Observation;

namespace FraudGateway.Captcha;

/// <summary>
/// What the log says while a captcha provider fails, per provider: one Warning when it starts failing, at most one
/// summary per 10 s with the number of failed verifications, one line when it answers again; like the store's
/// outages. The metric (fraudgateway.captcha, result = the failure) still counts each one.
/// </summary>
internal sealed partial class ProviderOutageLog(TimeProvider time, ILogger<ProviderOutageLog> logger)
{
    private readonly ConcurrentDictionary<string, OutageTracker> _providers = new(StringComparer.OrdinalIgnoreCase);

    public void Failed(string provider, string reason)
    {
        var line = Tracker(provider).Failed();
        if (line.Kind == OutageLineKind.Started)
        {
            Log.Started(logger, provider, reason);
        }
        else if (line.Kind == OutageLineKind.Continues)
        {
            Log.Continues(logger, provider, line.Failures, line.IntervalSeconds, line.OutageSeconds, reason);
        }
    }

    public void Answered(string provider)
    {
        if (_providers.TryGetValue(provider, out var tracker) && tracker.Succeeded() is { Kind: OutageLineKind.Ended } line)
        {
            Log.Recovered(logger, provider, line.OutageSeconds, line.Failures);
        }
    }

    private OutageTracker Tracker(string provider) => _providers.GetOrAdd(provider, _ => new OutageTracker(time));

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.CaptchaProviderFailed, EventName = nameof(LogEvents.CaptchaProviderFailed), Level = LogLevel.Warning,
            Message = "Captcha provider {Provider} could not verify a token ({Reason}); the policy's OnProviderFailure applies until it answers. Further failures are summarised.")]
        public static partial void Started(ILogger logger, string provider, string reason);

        [LoggerMessage(EventId = LogEvents.CaptchaProviderStillFailing, EventName = nameof(LogEvents.CaptchaProviderStillFailing), Level = LogLevel.Warning,
            Message = "Captcha provider {Provider} still failing: {Failures} verifications failed in the last {IntervalSeconds} s ({OutageSeconds} s since the first; latest: {Reason}).")]
        public static partial void Continues(ILogger logger, string provider, long failures, long intervalSeconds, long outageSeconds, string reason);

        [LoggerMessage(EventId = LogEvents.CaptchaProviderRecovered, EventName = nameof(LogEvents.CaptchaProviderRecovered), Level = LogLevel.Information,
            Message = "Captcha provider {Provider} answering again after {OutageSeconds} s of failures ({Failures} verifications failed).")]
        public static partial void Recovered(ILogger logger, string provider, long outageSeconds, long failures);
    }
}
