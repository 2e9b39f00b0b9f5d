using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Validation;

public class OptionsShapeTests
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

    // A typo inside a rate limit names itself with its path and a suggestion, and hides nothing: the same limit's
    // other errors are still reported, and the counter that names the (invalid) limit adds no false error.
    [Fact]
    public void An_unknown_key_is_named_with_its_path_and_the_rest_is_still_checked()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("ReverseProxy:Routes:r:ClusterId", "c"),
            ("FraudGateway:Policies:p:RateLimits:0:Name", "ip-minute"),
            ("FraudGateway:Policies:p:RateLimits:0:Key", "ipp"),
            ("FraudGateway:Policies:p:RateLimits:0:Limt", "5"),
            ("FraudGateway:Policies:p:RateLimits:0:Limit", "-1"),
            ("FraudGateway:Policies:p:RateLimits:0:WindowSeconds", "0"),
            ("FraudGateway:Policies:p:Scoring:Mode", "Off"),
            ("FraudGateway:Policies:p:Scoring:Counters:requestsPerIpMinute", "ip-minute"),
            ("FraudGateway:Polices:x", "1"),
            ("FraudGateway:Policies:p:Shadow", "maybe")));

        Assert.Null(result.Settings);
        Assert.Contains(result.Errors, e => e.StartsWith("FraudGateway:Policies:p:RateLimits:0:Limt: 'Limt' is not a setting here. Did you mean Limit? Known: ", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("FraudGateway:Polices: 'Polices' is not a setting here. Did you mean Policies?", StringComparison.Ordinal));
        Assert.Contains("FraudGateway:Policies:p:RateLimits:0:Limit must be a positive number of requests (was -1).", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("FraudGateway:Policies:p:RateLimits:0:WindowSeconds must be between 1 and", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("'ipp' is not a key this gateway can count by", StringComparison.Ordinal) && e.Contains("message", StringComparison.Ordinal) && e.Contains("account+ip", StringComparison.Ordinal));
        Assert.Contains("FraudGateway:Policies:p:Shadow 'maybe' is not true or false.", result.Errors);
        Assert.DoesNotContain(result.Errors, e => e.Contains("which the policy does not have", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal));
    }

    [Fact]
    public void No_policy_or_no_route_is_a_start_up_error()
    {
        var errors = GatewayConfigLoader.NothingToProtect(Config(("Urls", "http://127.0.0.1:5000")));

        Assert.Contains("FraudGateway:Policies: no policy is configured; every request would pass unprotected.", errors);
        Assert.Contains("ReverseProxy:Routes: no route is configured; every request would answer 404.", errors);
        Assert.Empty(GatewayConfigLoader.NothingToProtect(Config(("FraudGateway:Policies:p:Shadow", "true"), ("ReverseProxy:Routes:r:ClusterId", "c"))));
    }
}
