using FraudGateway.RateLimiting;

namespace FraudGateway.Tests.RateLimiting;

public class TokenBucketAlgorithmTests
{
    [Fact]
    public void Decide_BurstThenRefusedThenRefillsAtTheRate()
    {
        // 60 per minute (one per second), burst 3.
        long tat = 0;
        var now = 1_000_000_000L;
        for (var i = 0; i < 3; i++)
        {
            var (decision, next) = TokenBucketAlgorithm.Decide(60, 60_000, 3, now, tat);
            Assert.True(decision.Allowed, $"burst request {i}");
            Assert.Equal(2 - i, decision.Remaining);
            tat = next;
        }

        var (refused, unchanged) = TokenBucketAlgorithm.Decide(60, 60_000, 3, now, tat);
        Assert.False(refused.Allowed);
        Assert.Equal(tat, unchanged);
        Assert.Equal(1000, refused.RetryAfterMs);

        var (later, _) = TokenBucketAlgorithm.Decide(60, 60_000, 3, now + 1_000_000, tat);
        Assert.True(later.Allowed);
    }

    [Fact]
    public void Decide_IdleLongerThanTheBucket_StartsFull()
    {
        var (decision, _) = TokenBucketAlgorithm.Decide(10, 10_000, 10, 5_000_000_000, 1_000);

        Assert.True(decision.Allowed);
        Assert.Equal(9, decision.Remaining);
    }
}
