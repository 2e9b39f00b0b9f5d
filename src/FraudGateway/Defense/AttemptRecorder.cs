using FraudGateway.Counters;
using FraudGateway.Pipeline;
using FraudGateway.State;

namespace FraudGateway.Defense;

// Counts a login attempt into its route's shared attempts window once the gateway has decided, and only when the
// request is forwarded or answered with a challenge: an attempt a rule or the model refused outright threatens no
// account, so a blocked flood of scripts does not put people into defended mode. Challenged attempts do count: an
// attack that stops getting through keeps the mode on by failing its challenges. The store call is not awaited (the
// answer is not held for it); a failure is the store's to log, and the window misses one attempt.
internal sealed class AttemptRecorder(IGatewayStore store, CounterRequestBuilder builder)
{
    public void Record(HttpContext context, FraudGatewayFeature feature, GatewayDecision decision)
    {
        if (feature.Policy.Defense is not { AttemptsSlot: >= 0 } settings
            || (decision.Outcome != GatewayOutcome.Allow && decision.Stage != "captcha"))
        {
            return;
        }

        _ = CountAsync(builder.BuildCount(context, feature, feature.Policy.RateLimits[settings.AttemptsSlot]));
        if (feature.Body?.BreachedPassword == true && settings.BreachedSlot >= 0)
        {
            _ = CountAsync(builder.BuildCount(context, feature, feature.Policy.RateLimits[settings.BreachedSlot]));
        }
    }

    private async Task CountAsync(CounterRequest request)
    {
        try
        {
            await store.CountAsync(request, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
        }
    }
}
