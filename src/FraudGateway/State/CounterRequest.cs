namespace FraudGateway.State;

public sealed class CounterRequest(IReadOnlyList<CounterGroup> groups, int limitCount)
{
    public IReadOnlyList<CounterGroup> Groups { get; } = groups;

    // Number of limit slots (the policy's RateLimits.Length).
    public int LimitCount { get; } = limitCount;
}
