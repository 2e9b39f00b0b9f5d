using FraudGateway.Configuration;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;

namespace FraudGateway.Identity;

// Who is the client. Never blocks; records what it could not believe. Also makes, once per request, the client's
// address and prefix as store subjects (HMACs) that the counters, scoring and the decision record use.
internal sealed class ClientIdentityStage(GatewaySettingsProvider settings, TimeProvider time, SubjectHasher hasher, Observation.GatewayMetrics metrics) : IGatewayStage
{
    public string Name => "identity";

    public ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        var identity = ClientIdentityResolver.Resolve(context, settings.Current.Identity, time.GetUtcNow());
        feature.SetClient(identity, hasher);
        if (identity.ForwardedForMalformed)
        {
            feature.AddVerdict(Name, "forwarded-for-malformed");
        }

        if (identity.Ja4HeaderIgnored)
        {
            feature.AddVerdict(Name, "ja4-header-ignored");
            metrics.Ja4HeaderIgnored(feature.Policy.Name);
        }

        if (identity.UserAgentTruncated)
        {
            feature.AddVerdict(Name, "user-agent-truncated");
        }

        return ValueTask.FromResult(StageResult.Continue);
    }
}
