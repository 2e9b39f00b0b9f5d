using FraudGateway.Configuration;
using FraudGateway.Pipeline;
using FraudGateway.Problems;
using FraudGateway.State;

namespace FraudGateway.Counters;

// Stage 4: one store round trip for everything the request touches (ban flags of its address and prefix,
// every rate-limit window of its policy). A dynamic ban refuses here; rate-limit decisions are left on the
// feature for the rate-limits stage. When the store fails, the policy's OnStoreFailure decides.
public sealed class CountersStage(IGatewayStore store, CounterRequestBuilder builder, LocalFallbackLimiter fallback) : IGatewayStage
{
    public string Name => "counters";

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var request = builder.Build(context, feature);
        CounterResult result;
        try
        {
            result = await store.CountAsync(request, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            switch (feature.Policy.OnStoreFailure)
            {
                case StoreFailureMode.FailClosed:
                    return StageResult.Block("store-unavailable", GatewayProblems.StoreUnavailable);
                case StoreFailureMode.FallBackToLocal:
                    feature.AddVerdict(Name, "store-unavailable-local-limits");
                    result = await fallback.Store.CountAsync(request, context.RequestAborted);
                    break;
                default:
                    feature.AddVerdict(Name, "store-unavailable-checks-skipped");
                    return StageResult.Continue;
            }
        }

        feature.Counters = result;
        if (result.Ban is { } ban)
        {
            return StageResult.Block(ban.Subject.Kind == BanSubjectKind.Address ? "banned-address" : "banned-prefix", GatewayProblems.ClientBanned);
        }

        return StageResult.Continue;
    }
}
