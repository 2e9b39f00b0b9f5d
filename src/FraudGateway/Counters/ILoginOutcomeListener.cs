using FraudGateway.Pipeline;

namespace FraudGateway.Counters;

/// <summary>
/// Told of every login whose outcome the gateway learns from the upstream's answer (LoginOutcomeObserver), before the
/// outcome is counted. The site-wide defense listens (a trusted-device token for a success, the detector's
/// successes); registered by the feature that listens, so counting does not depend on its listeners.
/// </summary>
internal interface ILoginOutcomeListener
{
    /// <summary>A login ended: success or failure. The answer may not have started yet (a status-code verdict), in
    /// which case a listener can still add headers.</summary>
    void LoginObserved(HttpContext context, FraudGatewayFeature feature, bool success);
}
