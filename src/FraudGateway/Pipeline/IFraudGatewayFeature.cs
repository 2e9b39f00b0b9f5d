using FraudGateway.Counters;
using FraudGateway.Identity;

namespace FraudGateway.Pipeline;

// Per-request state shared by the stages, set on HttpContext.Features for protected routes only.
public interface IFraudGatewayFeature
{
    GatewayPolicy Policy { get; }

    string RouteId { get; }

    ClientIdentity Identity { get; }

    CounterResult? Counters { get; }

    IReadOnlyList<StageVerdict> Verdicts { get; }

    GatewayDecision? Decision { get; }
}
