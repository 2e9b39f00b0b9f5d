using FraudGateway.Configuration;
using FraudGateway.Pipeline;
using FraudGateway.Problems;

namespace FraudGateway.AccessLists;

// The static lists, decided in process without any store call.
//   1. static deny (global, then policy)  -> 403 access-denied
//   2. static allow (global, then policy) -> skip every later check
// Dynamic bans are read by the counters stage, in the same store round trip as the rate-limit windows.
// Static deny beats allow because both are hand-written and a deny is the more deliberate act; allow beats
// dynamic bans so that no ban, manual or automatic, can ever lock out a trusted range.
internal sealed class AccessListStage(GatewaySettingsProvider settings) : IGatewayStage
{
    public string Name => "access-lists";

    public ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var current = settings.Current;
        var policy = feature.Policy;
        var address = feature.Identity.Address;

        if (current.GlobalDeny.Contains(address) || policy.Deny.Contains(address))
        {
            return ValueTask.FromResult(StageResult.Block("deny-list", GatewayProblems.AccessDenied));
        }

        if (current.GlobalAllow.Contains(address) || policy.Allow.Contains(address))
        {
            return ValueTask.FromResult(StageResult.AllowFast("allow-list"));
        }

        return ValueTask.FromResult(StageResult.Continue);
    }
}
