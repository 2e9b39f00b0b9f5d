using FraudGateway.State;

namespace FraudGateway;

// A store that keeps nothing in process (Redis: its keys have TTLs in Redis).
internal sealed class NothingToSweep : IAgedState
{
    public static readonly NothingToSweep Instance = new();

    public void SweepExpired(DateTimeOffset now)
    {
    }
}
