using FraudGateway.Counters;
using FraudGateway.Pipeline;

namespace FraudGateway.Defense;

/// <summary>
/// The site-wide defense's part of a login's outcome: a success whose answer has not started earns a trusted-device
/// token; every outcome of a challenged login tells the detector whether the challenge paid off.
/// </summary>
internal sealed class DefenseLoginListener(TrustedDevices devices, SiteDefense defense) : ILoginOutcomeListener
{
    public void LoginObserved(HttpContext context, FraudGatewayFeature feature, bool success)
    {
        if (success && !context.Response.HasStarted)
        {
            devices.Issue(context, feature);
        }

        defense.ObserveSolved(feature, success);
    }
}
