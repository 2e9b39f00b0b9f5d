using FraudGateway.Pipeline;
using FraudGateway.Problems;
using Microsoft.Net.Http.Headers;

namespace FraudGateway.RateLimiting;

// Any limit over -> 429 quota-exceeded with Retry-After and the RateLimit fields. Allowed requests
// on a limited route carry the same fields on the upstream's answer.
internal sealed class RateLimitStage : IGatewayStage
{
    public string Name => "rate-limits";

    public ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var policy = feature.Policy;
        if (policy.RateLimits.Length == 0 || feature.LimitDecisions is not { } decisions)
        {
            return ValueTask.FromResult(StageResult.Continue);
        }

        var retryAfterMs = 0L;
        var refusedBy = -1;
        for (var i = 0; i < decisions.Length; i++)
        {
            if (!decisions[i].Allowed && decisions[i].RetryAfterMs >= retryAfterMs)
            {
                retryAfterMs = decisions[i].RetryAfterMs;
                refusedBy = i;
            }
        }

        if (refusedBy < 0)
        {
            // Set when the answer starts, so the upstream's own fields of the same name cannot duplicate ours.
            context.Response.OnStarting(static state =>
            {
                var (ctx, f) = ((HttpContext, FraudGatewayFeature))state;
                RateLimitHeaders.Write(ctx.Response.Headers, f.Policy, f.LimitDecisions!);
                return Task.CompletedTask;
            }, (context, feature));
            return ValueTask.FromResult(StageResult.Continue);
        }

        var headers = context.Response.Headers;
        RateLimitHeaders.Write(headers, policy, decisions);
        headers[HeaderNames.RetryAfter] = RateLimitHeaders.Seconds(retryAfterMs).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.FromResult(StageResult.Block("rate-limited:" + policy.RateLimits[refusedBy].Name, GatewayProblems.QuotaExceeded));
    }
}
