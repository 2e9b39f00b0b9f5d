using FraudGateway.Captcha;
using FraudGateway.Pipeline;

namespace FraudGateway.Defense;

// Before the counters: is this a returning device (a valid trusted-device token for the account it logs into) or a
// client that has just passed a challenge (a valid pass)? Either way no route-wide quota refuses it
// (CounterRequestBuilder), and a trusted device passes defended mode (DefenseStage). While the route is defended no
// route-wide quota refuses anyone: the challenge is the answer, and a quota drained by attackers would refuse people.
// Never refuses anything itself.
internal sealed class DeviceTrustStage(TrustedDevices devices, CaptchaPass passes, CaptchaOptions captcha, SiteDefense defense, TimeProvider time) : IGatewayStage
{
    public string Name => "device-trust";

    public bool RunsFor(GatewayPolicy policy) => policy.Defense is not null;

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        if (feature.Policy.Defense is not { } settings)
        {
            return StageResult.Continue;
        }

        feature.SiteRoute = defense.For(feature.Policy, settings, feature.RouteId);
        feature.RouteDefended = feature.SiteRoute.IsDefended(time.GetUtcNow());
        // Revocation is read from the store only when the token decides something: on a defended route.
        feature.TrustedDevice = await devices.IsTrustedAsync(context, feature, checkRevocation: feature.RouteDefended, context.RequestAborted);
        feature.PassedChallenge = captcha.Pass.LifetimeSeconds > 0
            && passes.IsValid(CaptchaPass.Presented(context.Request, captcha.Pass), feature.Identity, needsCaptcha: false);
        if (feature.TrustedDevice)
        {
            feature.AddVerdict(Name, "trusted-device");
        }

        return StageResult.Continue;
    }
}
