using FraudGateway.Counters;
using FraudGateway.Pipeline;
using FraudGateway.State;

namespace FraudGateway.Observation;

// Stage 10 for login policies: once the upstream has answered, a failed login (one of LoginOutcome's status codes)
// is counted by every failure-counting limit, and a success (2xx) resets those that ResetOnSuccess. The store call
// runs off the latency path: the response is not held for it, and a store failure is logged and counted only.
public sealed partial class LoginOutcomeObserver(IGatewayStore store, CounterRequestBuilder builder, GatewayMetrics metrics, ILogger<LoginOutcomeObserver> logger)
{
    public void Observe(HttpContext context, FraudGatewayFeature feature)
    {
        var policy = feature.Policy;
        if (policy.LoginFailureStatusCodes is not { } failureCodes || !policy.HasFailureLimits)
        {
            return;
        }

        var status = context.Response.StatusCode;
        var success = status is >= 200 and < 300;
        if (!success && !failureCodes.Contains(status))
        {
            return;
        }

        metrics.LoginOutcome(policy.Name, success ? "success" : "failure");
        var request = builder.BuildOutcome(context, feature, success);
        if (request is not null)
        {
            _ = RecordAsync(request, policy.Name);
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
