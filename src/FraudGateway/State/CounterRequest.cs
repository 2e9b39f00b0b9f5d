using FraudGateway.RateLimiting;

namespace FraudGateway.State;

public sealed class CounterRequest(IReadOnlyList<CounterGroup> groups, int limitCount)
{
    public IReadOnlyList<CounterGroup> Groups { get; } = groups;

    // Number of limit slots the store answers (the policy's RateLimits.Length, plus one per shadow).
    public int LimitCount { get; } = limitCount;

    // The policy's slots (0 .. PrimaryCount - 1); slots after them are shadows.
    public int PrimaryCount { get; init; } = limitCount;

    // Key rotation: each policy slot with the slot that reads the same limit under a previous key. Null when none.
    public IReadOnlyList<(int Slot, int Shadow)>? Shadows { get; init; }

    // The store's answer with every shadow folded into its limit: what the policy's limits say. During a key rotation
    // a client's count is its count under the current key plus what it used under the previous one (whose window
    // still runs), so a rotation neither resets a limit nor a penalty. A request the sum refuses was already counted
    // under the current key: during the overlap the count errs high, never low.
    public CounterResult Merge(CounterResult result)
    {
        if (Shadows is null && result.Decisions.Length == PrimaryCount)
        {
            return result;
        }

        var decisions = result.Decisions[..PrimaryCount];
        foreach (var (slot, shadow) in Shadows ?? [])
        {
            decisions[slot] = Combine(limit: LimitOf(slot), decisions[slot], result.Decisions[shadow]);
        }

        return new CounterResult(result.Ban, decisions);
    }

    private long LimitOf(int slot)
    {
        foreach (var group in Groups)
        {
            foreach (var limit in group.Limits)
            {
                if (limit.Slot == slot)
                {
                    return limit.Rule.Capacity;
                }
            }
        }

        return 0;
    }

    // current: this request under the current key (counted, or checked); previous: a check under the previous key
    // (what one more would leave there); limit: what Remaining counts down from (RateLimitRule.Capacity).
    public static RateLimitDecision Combine(long limit, RateLimitDecision current, RateLimitDecision previous)
    {
        if (current.IsUnknown || previous.IsUnknown || !current.Allowed)
        {
            return current;
        }

        if (!previous.Allowed)
        {
            return previous;
        }

        var usedBefore = Math.Max(0, limit - 1 - previous.Remaining);
        var remaining = current.Remaining - usedBefore;
        return remaining >= 0
            ? current with { Remaining = remaining }
            : new RateLimitDecision(false, 0, Math.Max(current.ResetMs, previous.ResetMs), Math.Max(1000, previous.ResetMs));
    }
}
