using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Tests.RateLimiting;

public class RateLimitRuleParserTests
{
    private static (RateLimitRule[] Rules, List<string> Errors) Parse(params RateLimitOptions[] options)
    {
        var errors = new List<string>();
        var rules = RateLimitRuleParser.Parse("login", options.ToList(), "P:RateLimits", errors);
        return (rules, errors);
    }

    [Fact]
    public void Parse_ValidRules_BuildsKeysAndPolicyItems()
    {
        var (rules, errors) = Parse(
            new RateLimitOptions { Name = "ip-minute", Key = "ip", Limit = 5, WindowSeconds = 60, PenaltySeconds = 300 },
            new RateLimitOptions { Name = "route", Key = "route+header:X-Client", Limit = 1000, WindowSeconds = 60, Algorithm = "tokenbucket", Burst = 50 });

        Assert.Empty(errors);
        Assert.Equal("\"ip-minute\";q=5;w=60", rules[0].PolicyItem);
        Assert.Equal("rl:login:ip-minute:s", StoreKeys.LimitSuffix(rules[0]));
        Assert.Equal(300_000, rules[0].PenaltyMs);
        Assert.Equal(5, rules[0].Burst);
        Assert.Equal(RateLimitAlgorithm.TokenBucket, rules[1].Algorithm);
        Assert.Equal(50, rules[1].Burst);
        Assert.Equal([new RateLimitKeyPart(RateLimitKeyKind.Route), new RateLimitKeyPart(RateLimitKeyKind.Header, "X-Client")], rules[1].KeyParts);
    }

    [Fact]
    public void Parse_EveryKindOfBadRule_ReportsEach()
    {
        var (rules, errors) = Parse(
            new RateLimitOptions { Name = "zero", Key = "ip", Limit = 0, WindowSeconds = 60 },
            new RateLimitOptions { Name = "negative", Key = "ip", Limit = -1, WindowSeconds = 60 },
            new RateLimitOptions { Name = "no-window", Key = "ip", Limit = 5, WindowSeconds = 0 },
            new RateLimitOptions { Name = "algo", Key = "ip", Limit = 5, WindowSeconds = 60, Algorithm = "LeakyBucket" },
            new RateLimitOptions { Name = "field", Key = "account", Limit = 5, WindowSeconds = 60 },
            new RateLimitOptions { Name = "unknown-key", Key = "cookie:x", Limit = 5, WindowSeconds = 60 },
            new RateLimitOptions { Name = "bad name!", Key = "ip", Limit = 5, WindowSeconds = 60 },
            new RateLimitOptions { Name = "burst-sliding", Key = "ip", Limit = 5, WindowSeconds = 60, Burst = 3 },
            new RateLimitOptions { Name = "empty-header", Key = "header:", Limit = 5, WindowSeconds = 60 });

        Assert.Empty(rules);
        Assert.Equal(9, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("P:RateLimits:0:Limit"));
        Assert.Contains(errors, e => e.StartsWith("P:RateLimits:1:Limit"));
        Assert.Contains(errors, e => e.StartsWith("P:RateLimits:2:WindowSeconds"));
        Assert.Contains(errors, e => e.Contains("'LeakyBucket' is unknown"));
        Assert.Contains(errors, e => e.Contains("account keys need the policy's BodyInspection:AccountField"));
        Assert.Contains(errors, e => e.Contains("'cookie:x' is not a key"));
        Assert.Contains(errors, e => e.StartsWith("P:RateLimits:6:Name"));
        Assert.Contains(errors, e => e.Contains("Burst applies to TokenBucket only"));
        Assert.Contains(errors, e => e.Contains("'header:' is not a key"));
    }

    [Fact]
    public void Parse_DuplicateName_IsAnError()
    {
        var (_, errors) = Parse(
            new RateLimitOptions { Name = "a", Key = "ip", Limit = 5, WindowSeconds = 60 },
            new RateLimitOptions { Name = "A", Key = "prefix", Limit = 5, WindowSeconds = 60 });

        Assert.Single(errors);
        Assert.Contains("used twice", errors[0]);
    }

    [Fact]
    public void Parse_NumericAlgorithm_IsRefused()
    {
        var (_, errors) = Parse(new RateLimitOptions { Name = "a", Key = "ip", Limit = 5, WindowSeconds = 60, Algorithm = "1" });

        Assert.Single(errors);
    }
}
