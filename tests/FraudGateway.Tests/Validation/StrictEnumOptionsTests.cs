using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Validation;

public class StrictEnumOptionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    // Enum-typed options: each bad value is its own error with its path, numbers are refused, and the rest of the same
    // policy is still bound and checked (the binder alone would stop at the first bad value).
    [Fact]
    public void Bad_enum_values_are_each_reported_and_the_rest_of_the_section_is_still_checked()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("FraudGateway:Store:RedisSocketManager", "Sometimes"),
            ("FraudGateway:Policies:p:Scoring:Mode", "2"),
            ("FraudGateway:Policies:p:BodyInspection:OnInvalidBody", "Shrug"),
            ("FraudGateway:Policies:p:BodyInspection:MaxBodyBytes", "10"),
            ("FraudGateway:Policies:p:RateLimits:0:Name", "l"),
            ("FraudGateway:Policies:p:RateLimits:0:Key", "ip"),
            ("FraudGateway:Policies:p:RateLimits:0:Limit", "5"),
            ("FraudGateway:Policies:p:RateLimits:0:WindowSeconds", "60"),
            ("FraudGateway:Policies:p:RateLimits:0:Counts", "Everything"),
            ("FraudGateway:Policies:p:Captcha:OnProviderFailure", "failopen")));

        Assert.Null(result.Settings);
        Assert.Contains("FraudGateway:Store:RedisSocketManager 'Sometimes' is not one of ThreadPool, Dedicated.", result.Errors);
        Assert.Contains("FraudGateway:Policies:p:Scoring:Mode '2' is not one of Enforce, Shadow, Off.", result.Errors);
        Assert.Contains("FraudGateway:Policies:p:BodyInspection:OnInvalidBody 'Shrug' is not one of Reject, PassThrough.", result.Errors);
        Assert.Contains("FraudGateway:Policies:p:RateLimits:0:Counts 'Everything' is not one of Requests, Failures, DistinctAccounts, DistinctAddresses.", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("FraudGateway:Policies:p:BodyInspection:MaxBodyBytes must be between", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Contains("OnProviderFailure", StringComparison.Ordinal));
        Assert.Equal(ProviderFailureAction.FailOpen, result.Options.Policies["p"].Captcha!.OnProviderFailure);
        Assert.Equal(RateLimitCounts.Requests, result.Options.Policies["p"].RateLimits[0].Counts);
    }
}
