using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.State;

namespace FraudGateway.Counters;

// After the upstream has answered, on login policies: a failed login (one of LoginOutcome's status codes)
// is counted by every failure-counting limit, and a success (2xx) resets those that ResetOnSuccess. The store call
// is issued when the upstream's status is known, just before the answer starts, and never awaited: the response is
// not held for it. Issuing it before the client can see the answer keeps it ahead of that client's next attempt
// (one connection to Redis keeps order), so a lockout holds from the very next request. A store failure is logged.
// Listeners (ILoginOutcomeListener: the site-wide defense) hear every outcome first; a success decided by the status
// code comes before the answer starts, one decided by a JSON field only after.
internal sealed partial class LoginOutcomeObserver(IGatewayStore store, CounterRequestBuilder builder, IEnumerable<ILoginOutcomeListener> listeners,
    GatewayMetrics metrics, ILogger<LoginOutcomeObserver> logger)
{
    public void Watch(HttpContext context, FraudGatewayFeature feature)
    {
        var policy = feature.Policy;
        if (policy.LoginFailureStatusCodes is null || (!policy.HasOutcomeLimits && !policy.IssuesDeviceTokens))
        {
            return;
        }

        if (policy.LoginJsonField is not null)
        {
            context.Response.Body = new ResponseCaptureStream(context.Response.Body, MaxJsonBytes);
        }

        context.Response.OnStarting(static state =>
        {
            var (observer, ctx, f) = ((LoginOutcomeObserver, HttpContext, FraudGatewayFeature))state;
            var status = ctx.Response.StatusCode;
            var success = status is >= 200 and < 300;
            // A 2xx answer of a policy that reads a JSON field is classified after its body, in Complete.
            if (success ? f.Policy.LoginJsonField is null : f.Policy.LoginFailureStatusCodes!.Contains(status))
            {
                observer.Observe(ctx, f, success);
            }

            return Task.CompletedTask;
        }, (this, context, feature));
    }

    // After the upstream's answer has gone through: classify a 2xx by its JSON field, and put the body stream back.
    public void Complete(HttpContext context, FraudGatewayFeature feature)
    {
        if (context.Response.Body is not ResponseCaptureStream capture)
        {
            return;
        }

        context.Response.Body = capture.Inner;
        var policy = feature.Policy;
        if (context.Response.StatusCode is < 200 or >= 300)
        {
            return;
        }

        var value = capture.Truncated ? null : JsonFieldValue(capture.Captured, policy.LoginJsonField!);
        Observe(context, feature, success: value is null || !policy.LoginFailureJsonValues.Contains(value));
    }

    private const int MaxJsonBytes = 8192;

    private readonly ILoginOutcomeListener[] _listeners = [.. listeners];

    private void Observe(HttpContext context, FraudGatewayFeature feature, bool success)
    {
        var policy = feature.Policy;
        foreach (var listener in _listeners)
        {
            listener.LoginObserved(context, feature, success);
        }

        metrics.LoginOutcome(policy.Name, success ? "success" : "failure");
        if (success && HadFailuresOnRecord(feature))
        {
            // A login that succeeds after failures: the classic sign of a guessed or stuffed password.
            metrics.LoginOutcome(policy.Name, "success-after-failures");
            Log.SuccessAfterFailures(logger, policy.Name, context.TraceIdentifier);
        }

        try
        {
            var request = builder.BuildOutcome(context, feature, success);
            if (request is not null)
            {
                _ = RecordAsync(request, policy.Name);
            }
        }
        catch (Exception e)
        {
            // Never let bookkeeping break the answer itself.
            Log.RecordFailed(logger, policy.Name, e.GetType().Name);
        }
    }

    private static bool HadFailuresOnRecord(FraudGatewayFeature feature)
    {
        if (feature.Counters is not { } counters)
        {
            return false;
        }

        var rules = feature.Policy.RateLimits;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].HasFailuresOnRecord(counters.Decisions[i]))
            {
                return true;
            }
        }

        return false;
    }

    // The text of a top-level scalar member ("false", "0", "invalid_credentials"); null when absent or not JSON.
    internal static string? JsonFieldValue(ReadOnlySpan<byte> json, string field)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var matches = reader.ValueTextEquals(field);
                reader.Read();
                if (matches)
                {
                    return reader.TokenType switch
                    {
                        System.Text.Json.JsonTokenType.String => reader.GetString(),
                        System.Text.Json.JsonTokenType.True => "true",
                        System.Text.Json.JsonTokenType.False => "false",
                        System.Text.Json.JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                }

                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return null;
    }

    private async Task RecordAsync(CounterRequest request, string policy)
    {
        try
        {
            await store.CountAsync(request, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.RecordFailed(logger, policy, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.LoginOutcomeRecordFailed, EventName = nameof(LogEvents.LoginOutcomeRecordFailed), Level = LogLevel.Warning, Message = "A login outcome on policy {Policy} could not be recorded ({Error}); it is not counted.")]
        public static partial void RecordFailed(ILogger logger, string policy, string error);

        [LoggerMessage(EventId = LogEvents.LoginOutcomeSuccessAfterFailures, EventName = nameof(LogEvents.LoginOutcomeSuccessAfterFailures), Level = LogLevel.Information, Message = "Login on policy {Policy} succeeded after failures on record (request {RequestId}).")]
        public static partial void SuccessAfterFailures(ILogger logger, string policy, string requestId);
    }
}
