using FraudGateway.Counters;
using FraudGateway.Pipeline;
using FraudGateway.State;

namespace FraudGateway.Observation;

// Stage 10 for login policies: once the upstream has answered, a failed login (one of LoginOutcome's status codes)
// is counted by every failure-counting limit, and a success (2xx) resets those that ResetOnSuccess. The store call
// is issued when the upstream's status is known, just before the answer starts, and never awaited: the response is
// not held for it. Issuing it before the client can see the answer keeps it ahead of that client's next attempt
// (one connection to Redis keeps order), so a lockout holds from the very next request. A store failure is logged.
public sealed partial class LoginOutcomeObserver(IGatewayStore store, CounterRequestBuilder builder, GatewayMetrics metrics, ILogger<LoginOutcomeObserver> logger)
{
    public void Watch(HttpContext context, FraudGatewayFeature feature)
    {
        var policy = feature.Policy;
        if (policy.LoginFailureStatusCodes is null || !policy.HasFailureLimits)
        {
            return;
        }

        context.Response.OnStarting(static state =>
        {
            var (observer, ctx, f) = ((LoginOutcomeObserver, HttpContext, FraudGatewayFeature))state;
            observer.Observe(ctx, f);
            return Task.CompletedTask;
        }, (this, context, feature));
    }

    private void Observe(HttpContext context, FraudGatewayFeature feature)
    {
        var policy = feature.Policy;
        var failureCodes = policy.LoginFailureStatusCodes!;

        var status = context.Response.StatusCode;
        var success = status is >= 200 and < 300;
        if (!success && !failureCodes.Contains(status))
        {
            return;
        }

        metrics.LoginOutcome(policy.Name, success ? "success" : "failure");
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
        [LoggerMessage(1, LogLevel.Warning, "A login outcome on policy {Policy} could not be recorded ({Error}); it is not counted.")]
        public static partial void RecordFailed(ILogger logger, string policy, string error);
    }
}
