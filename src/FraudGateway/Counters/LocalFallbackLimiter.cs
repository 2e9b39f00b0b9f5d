using FraudGateway.State;
using FraudGateway.State.InMemory;

namespace FraudGateway.Counters;

// The in-process limiter a policy with OnStoreFailure = FallBackToLocal uses while the shared store is down:
// the same limits and arithmetic (an InMemoryGatewayStore of its own), counting this instance's traffic only.
internal sealed class LocalFallbackLimiter(TimeProvider time) : IAgedState, IBroadcastListener
{
    public InMemoryGatewayStore Store { get; } = new(time);

    public void SweepExpired(DateTimeOffset now) => Store.SweepExpired(now);

    public void OnSubjectErased(string subjectId) => Store.Erase(subjectId);
}
