using FraudGateway.Configuration;
using FraudGateway.Pipeline;

namespace FraudGateway.Identity;

// Stage 1: who is the client. Never blocks; records what it could not believe.
public sealed class ClientIdentityStage(GatewaySettingsProvider settings, TimeProvider time) : IGatewayStage
{
    public string Name => "identity";

    public ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var identity = ClientIdentityResolver.Resolve(context, settings.Current.Identity, time.GetUtcNow());
        feature.Identity = identity;
        if (identity.ForwardedForMalformed)
        {
            feature.AddVerdict(Name, "forwarded-for-malformed");
        }

        if (identity.UserAgentTruncated)
        {
            feature.AddVerdict(Name, "user-agent-truncated");
        }

        return ValueTask.FromResult(StageResult.Continue);
    }
}
