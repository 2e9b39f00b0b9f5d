using FraudGateway.Configuration;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;

namespace FraudGateway.AccessLists;

// Stage 2. Precedence, most specific intent first:
//   1. static deny (global, then policy)  -> 403 access-denied
//   2. static allow (global, then policy) -> skip every later check
//   3. dynamic ban on the address or its prefix (store, TTL) -> 403 client-banned
// Static deny beats allow because both are hand-written and a deny is the more deliberate act; allow beats
// dynamic bans so that automatic bans (brute-force rules, later) can never lock out a trusted range.
public sealed class AccessListStage(GatewaySettingsProvider settings, IGatewayStore store, SubjectHasher hasher) : IGatewayStage
{
    public string Name => "access-lists";

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var current = settings.Current;
        var policy = feature.Policy;
        var address = feature.Identity.Address;

        if (current.GlobalDeny.Contains(address) || policy.Deny.Contains(address))
        {
            return StageResult.Block("deny-list", GatewayProblems.AccessDenied);
        }

        if (current.GlobalAllow.Contains(address) || policy.Allow.Contains(address))
        {
            return StageResult.AllowFast("allow-list");
        }

        try
        {
            var ban = await store.FindBanAsync(
                BanSubject.ForAddress(address, hasher),
                BanSubject.ForPrefix(feature.Identity.Prefix, hasher),
                context.RequestAborted);
            if (ban is not null)
            {
                return StageResult.Block(ban.Subject.Kind == BanSubjectKind.Address ? "banned-address" : "banned-prefix", GatewayProblems.ClientBanned);
            }
        }
        catch (StoreUnavailableException)
        {
            if (policy.OnStoreFailure == StoreFailureMode.FailClosed)
            {
                return StageResult.Block("store-unavailable", GatewayProblems.StoreUnavailable);
            }

            feature.AddVerdict(Name, "ban-check-skipped-store-unavailable");
        }

        return StageResult.Continue;
    }
}
