using FraudGateway.Pipeline;
using FraudGateway.RateLimiting;
using FraudGateway.Tests.TestSupport;

namespace FraudGateway.Tests.RateLimiting;

// The RateLimit field is written into one stack buffer sized for the longest field a policy can have: small and
// largest policies give the same text as the plain concatenation.
public class RateLimitHeadersTests
{
    private static GatewayPolicy Policy(int limits, int nameLength)
    {
        var settings = new List<(string Key, string? Value)>();
        for (var i = 0; i < limits; i++)
        {
            var name = i.ToString("D2") + new string('n', nameLength - 2);
            settings.Add(($"FraudGateway:Policies:p:RateLimits:{i}:Name", name));
            settings.Add(($"FraudGateway:Policies:p:RateLimits:{i}:Key", "ip"));
            settings.Add(($"FraudGateway:Policies:p:RateLimits:{i}:Limit", "5"));
            settings.Add(($"FraudGateway:Policies:p:RateLimits:{i}:WindowSeconds", (60 + i).ToString()));
        }

        return TestSettings.Provider([.. settings]).Current.Policies["p"];
    }

    private static string Expected(GatewayPolicy policy, RateLimitDecision[] decisions) => string.Join(", ", decisions
        .Select((d, i) => (d, i))
        .Where(x => !x.d.IsUnknown)
        .Select(x => $"\"{policy.RateLimits[x.i].Name}\";r={x.d.Remaining};t={RateLimitHeaders.Seconds(x.d.Allowed ? x.d.ResetMs : x.d.RetryAfterMs)}"));

    [Theory]
    [InlineData(2, 6)]
    [InlineData(16, 64)] // the most a policy has: 16 limits with 64-character names
    public void Current_AnySize_IsTheMembersJoinedInPolicyOrder(int limits, int nameLength)
    {
        var policy = Policy(limits, nameLength);
        var decisions = Enumerable.Range(0, limits).Select(i => i % 5 == 3
            ? RateLimitDecision.Unknown
            : i % 2 == 0 ? new RateLimitDecision(true, long.MaxValue - i, 59_001 + i, 0) : new RateLimitDecision(false, 0, 60_000, 3_600_000L * 24 * 365 * 1000 + i)).ToArray();

        var text = RateLimitHeaders.Current(policy, decisions);

        Assert.Equal(Expected(policy, decisions), text);
        Assert.StartsWith("\"00", text);
    }

    [Fact]
    public void Current_EveryLimitUnknown_IsEmpty()
    {
        var policy = Policy(3, 10);

        Assert.Equal("", RateLimitHeaders.Current(policy, [RateLimitDecision.Unknown, RateLimitDecision.Unknown, RateLimitDecision.Unknown]));
    }
}
