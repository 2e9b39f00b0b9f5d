using FraudGateway.RateLimiting;

namespace FraudGateway.Tests.RateLimiting;

public class SlidingWindowAlgorithmTests
{
    [Fact]
    public void Decide_UnderLimit_AllowsAndCountsDown()
    {
        var decision = SlidingWindowAlgorithm.Decide(limit: 5, windowMs: 60_000, elapsedMs: 10_000, previous: 0, current: 2);

        Assert.True(decision.Allowed);
        Assert.Equal(3, decision.Remaining);
        Assert.Equal(50_000 + 60_000, decision.ResetMs);
    }

    [Fact]
    public void Decide_PreviousWindowStillWeighs_NoBurstAtTheEdge()
    {
        // 5 requests at the end of the last window; 1 ms into the new one the estimate is still ~5.
        var decision = SlidingWindowAlgorithm.Decide(limit: 5, windowMs: 60_000, elapsedMs: 1, previous: 5, current: 1);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Decide_HalfwayThroughWindow_PreviousCountsHalf()
    {
        var allowed = SlidingWindowAlgorithm.Decide(limit: 10, windowMs: 60_000, elapsedMs: 30_000, previous: 10, current: 5);
        var refused = SlidingWindowAlgorithm.Decide(limit: 10, windowMs: 60_000, elapsedMs: 30_000, previous: 10, current: 6);

        Assert.True(allowed.Allowed);
        Assert.Equal(0, allowed.Remaining);
        Assert.False(refused.Allowed);
    }

    [Theory]
    [InlineData(5, 10_000, 0, 6)]
    [InlineData(5, 10_000, 4, 6)]
    [InlineData(5, 30_000, 5, 2)]
    [InlineData(1, 59_999, 3, 2)]
    [InlineData(100, 1, 80, 40)]
    public void RetryAfter_IsTheFirstMomentTheNextAttemptIsAllowed(long limit, long elapsed, long previous, long current)
    {
        const long window = 60_000;
        var retry = SlidingWindowAlgorithm.RetryAfter(limit, window, elapsed, previous, current);

        Assert.True(Allows(limit, window, elapsed + retry, previous, current), $"not allowed after {retry} ms");
        Assert.False(Allows(limit, window, elapsed + retry - 1, previous, current), $"already allowed at {retry - 1} ms");
    }

    // Whether one more attempt at time t (ms since the current window began) would be allowed.
    private static bool Allows(long limit, long window, long t, long previous, long current) => t < window
        ? SlidingWindowAlgorithm.Decide(limit, window, t, previous, current + 1).Allowed
        : SlidingWindowAlgorithm.Decide(limit, window, t - window, t - window < window ? current : 0, 1).Allowed;
}
