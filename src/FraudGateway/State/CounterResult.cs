using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.State;

public sealed class CounterResult(BanRecord? ban, RateLimitDecision[] decisions)
{
    public BanRecord? Ban { get; } = ban;

    // Indexed by CounterLimit.Slot.
    public RateLimitDecision[] Decisions { get; } = decisions;
}
