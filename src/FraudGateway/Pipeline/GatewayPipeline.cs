using FraudGateway.AccessLists;
using FraudGateway.Identity;

namespace FraudGateway.Pipeline;

// The order of the protection pipeline, written here and nowhere else (DESIGN.md "One request, start to end").
// Stages 8-10 (decision, forward, observation) are GatewayMiddleware's own steps around this list.
public sealed class GatewayPipeline(ClientIdentityStage identity, AccessListStage accessLists)
{
    public IReadOnlyList<IGatewayStage> Stages { get; } =
    [
        identity,     // 1 real client IP through trusted proxies, prefix, user agent, request time
        accessLists,  // 2 static deny / allow, dynamic bans
        // 3 body inspection, 4 counters, 5 rate limits, 6 captcha and 7 scoring join here, in that order.
    ];
}
