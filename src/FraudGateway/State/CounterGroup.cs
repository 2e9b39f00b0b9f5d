using FraudGateway.RateLimiting;

namespace FraudGateway.State;

// Everything one request touches under one hash tag: at most one ban flag and any number of limit windows.
// The store runs a group as one atomic script; the groups of a request travel pipelined, in one round trip.
public sealed class CounterGroup(string tag, int capacity = 0)
{
    // The hash tag, without braces (StoreKeys lists the kinds).
    public string Tag { get; } = tag;

    public BanSubject? Ban { get; set; }

    // capacity: the limits expected, so the list is allocated once at its size.
    public List<CounterLimit> Limits { get; } = new(capacity);
}

// One limit of the request: Slot is the limit's index in the policy, where its decision goes.
// Member is what a distinct limit adds (an HMAC of the account or the address).
public readonly record struct CounterLimit(int Slot, RateLimitRule Rule, string KeySuffix, CounterMode Mode = CounterMode.Count, string? Member = null)
{
    // A failure-counting sliding window counts the failure that reaches Limit as the one that goes over, so the
    // penalty starts right then and later attempts are refused: it is counted against Limit - 1.
    public long EffectiveLimit => Mode == CounterMode.Count && Rule.CountsFailures && Rule.Algorithm == RateLimitAlgorithm.SlidingWindow
        ? Rule.Limit - 1
        : Rule.Limit;

    // Counted into a distinct-count window (a HyperLogLog in Redis, a set in memory) rather than a plain count.
    public bool CountsDistinct => Mode == CounterMode.Count && !Rule.CountsFailures && Rule.Distinct != DistinctKind.None;
}
