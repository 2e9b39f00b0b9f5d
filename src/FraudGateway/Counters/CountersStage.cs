using FraudGateway.Pipeline;
using FraudGateway.Problems;
using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Counters;

// One store round trip for everything the request touches (ban flags of its address and prefix,
// every rate-limit window of its policy). A dynamic ban refuses here; rate-limit decisions are left on the
// feature for the rate-limits stage. When the store fails, the policy's OnStoreFailure decides.
// A limit key the store refused a moment ago (OverLimitCache) is refused again without a store call.
internal sealed class CountersStage(IGatewayStore store, CounterRequestBuilder builder, LocalFallbackLimiter fallback, OverLimitCache overLimit, ApproximateCounting approximate,
    Observation.GatewayMetrics metrics) : IGatewayStage
{
    public string Name => "counters";

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var request = builder.Build(context, feature);
        if (FromOverLimitCache(request) is { } cached)
        {
            feature.AddVerdict(Name, "over-limit-cache");
            metrics.OverLimitCacheHit(feature.Policy.Name);
            feature.Counters = cached;
            return StageResult.Continue;
        }

        CounterResult result;
        try
        {
            // Approximate counting (a policy's choice, with Redis): plain request limits in process, synced in batches.
            result = request.Merge(feature.Policy.Counting == CountingMode.Approximate && approximate.IsAvailable
                ? await approximate.CountAsync(request, store, context.RequestAborted)
                : await store.CountAsync(request, context.RequestAborted));
            RememberRefusals(request, result);
        }
        catch (StoreUnavailableException)
        {
            switch (feature.Policy.OnStoreFailure)
            {
                case StoreFailureMode.FailClosed:
                    return StageResult.Block("store-unavailable", GatewayProblems.StoreUnavailable);
                case StoreFailureMode.FallBackToLocal:
                    feature.AddVerdict(Name, "store-unavailable-local-limits");
                    result = request.Merge(await fallback.Store.CountAsync(request, context.RequestAborted));
                    break;
                default:
                    feature.AddVerdict(Name, "store-unavailable-checks-skipped");
                    return StageResult.Continue;
            }
        }

        feature.Counters = result;
        if (result.Ban is { } ban)
        {
            CarryOver(feature, ban);
            return StageResult.Block(ban.Subject.Kind == BanSubjectKind.Address ? "banned-address" : "banned-prefix", GatewayProblems.ClientBanned);
        }

        return StageResult.Continue;
    }

    // When any limit of the request is known to be refusing, answer from memory: the refused limits say so; the
    // others are Unknown (not asked), and the RateLimit field leaves them out rather than guess.
    private CounterResult? FromOverLimitCache(CounterRequest request)
    {
        if (overLimit.IsEmpty)
        {
            return null;
        }

        RateLimitDecision[]? decisions = null;
        foreach (var group in request.Groups)
        {
            foreach (var limit in group.Limits)
            {
                // Shadows (key rotation) are never cached: only their policy slot is.
                var refusedFor = limit.Slot < request.PrimaryCount ? overLimit.RefusedForMs(OverLimitCache.Key(group, limit)) : 0;
                if (refusedFor > 0)
                {
                    decisions ??= new RateLimitDecision[request.PrimaryCount];
                    decisions[limit.Slot] = new RateLimitDecision(false, 0, refusedFor, refusedFor);
                }
            }
        }

        if (decisions is null)
        {
            return null;
        }

        for (var i = 0; i < decisions.Length; i++)
        {
            if (decisions[i].RetryAfterMs == 0)
            {
                decisions[i] = RateLimitDecision.Unknown;
            }
        }

        return new CounterResult(null, decisions);
    }

    // A ban found under a previous HMAC key (key rotation) is written again under the current one, in the
    // background, so it outlives the previous key's end for every client that comes back during the overlap.
    private void CarryOver(FraudGatewayFeature feature, BanRecord ban)
    {
        var current = ban.Subject.Kind == BanSubjectKind.Address ? feature.AddressSubject : feature.PrefixSubject;
        if (feature.PreviousKeys.Count == 0 || ban.Subject == current)
        {
            return;
        }

        _ = store.AddBanAsync(ban with { Subject = current }, CancellationToken.None).ContinueWith(
            static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void RememberRefusals(CounterRequest request, CounterResult result)
    {
        foreach (var group in request.Groups)
        {
            foreach (var limit in group.Limits)
            {
                if (limit.Slot >= result.Decisions.Length)
                {
                    continue;
                }

                var decision = result.Decisions[limit.Slot];
                // Failure-counting limits are only checked on arrival and an admin may lift them at any time:
                // they are not cached, so a lift takes effect on the next request.
                if (!decision.Allowed && limit.Mode == CounterMode.Count)
                {
                    overLimit.Remember(OverLimitCache.Key(group, limit), decision.RetryAfterMs);
                }
            }
        }
    }
}
