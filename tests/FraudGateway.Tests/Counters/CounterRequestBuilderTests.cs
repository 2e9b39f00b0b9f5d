using FraudGateway.Counters;
using FraudGateway.State;
using FraudGateway.Privacy;
using FraudGateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.Counters;

public class CounterRequestBuilderTests
{
    private static readonly SubjectHasher Hasher = new("builder-tests-key-0123456789abcdef0123");

    private static FraudGateway.Pipeline.GatewayPolicy Policy(params string[] keys)
    {
        var values = new List<(string, string?)> { ("FraudGateway:Policies:p:OnStoreFailure", "FailOpen") };
        for (var i = 0; i < keys.Length; i++)
        {
            values.Add(($"FraudGateway:Policies:p:RateLimits:{i}:Name", $"l{i}"));
            values.Add(($"FraudGateway:Policies:p:RateLimits:{i}:Key", keys[i]));
            values.Add(($"FraudGateway:Policies:p:RateLimits:{i}:Limit", "5"));
            values.Add(($"FraudGateway:Policies:p:RateLimits:{i}:WindowSeconds", "60"));
        }

        return TestSettings.Provider(values.ToArray()).Current.Policies["p"];
    }

    [Fact]
    public void Build_NoLimits_StillChecksAddressAndPrefixBans()
    {
        var request = new CounterRequestBuilder(Hasher).Build(new DefaultHttpContext(), TestFeature.For(Policy(), "203.0.113.7", hasher: Hasher));

        Assert.Equal(2, request.Groups.Count);
        Assert.StartsWith("i:", request.Groups[0].Tag);
        Assert.Equal(request.Groups[0].Tag, request.Groups[0].Ban?.Token);
        Assert.StartsWith("p:", request.Groups[1].Tag);
        Assert.All(request.Groups, g => Assert.Empty(g.Limits));
    }

    [Fact]
    public void Build_LimitsGoToTheGroupOfTheirFirstKeyPart()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Client"] = "mobile-app";
        var request = new CounterRequestBuilder(Hasher).Build(context, TestFeature.For(Policy("ip", "prefix", "route", "header:X-Client", "ip+route"), "203.0.113.7", hasher: Hasher));

        Assert.Equal(4, request.Groups.Count);
        Assert.Equal([0, 4], request.Groups[0].Limits.Select(l => l.Slot));
        Assert.Equal([1], request.Groups[1].Limits.Select(l => l.Slot));
        Assert.StartsWith("r:", request.Groups[2].Tag);
        Assert.Null(request.Groups[2].Ban);
        Assert.StartsWith("h:", request.Groups[3].Tag);
        // A later part is named by its own tag, so erasing that subject finds the key.
        Assert.Equal("rl:p:l4:s:" + request.Groups[2].Tag, request.Groups[0].Limits[1].KeySuffix);
        Assert.Equal(5, request.LimitCount);
    }

    // One TLS stack across many addresses is one counter; a request without a fingerprint is not counted by such a
    // limit at all (unknown is not one shared value that would lump every plain-HTTP client together).
    [Fact]
    public void Build_Ja4Limits_CountOneStackAcrossAddresses_AndSkipRequestsWithout()
    {
        var policy = Policy("ja4", "ja4+route");
        const string python = "t13d1812h1_85036bcba153_375ca2c5e164";
        var builder = new CounterRequestBuilder(Hasher);

        var a = builder.Build(new DefaultHttpContext(), TestFeature.For(policy, "203.0.113.7", hasher: Hasher, ja4: python));
        var b = builder.Build(new DefaultHttpContext(), TestFeature.For(policy, "198.51.100.9", hasher: Hasher, ja4: python));
        var none = builder.Build(new DefaultHttpContext(), TestFeature.For(policy, "203.0.113.7", hasher: Hasher));

        var tagA = a.Groups.Single(g => g.Limits.Count > 0).Tag;
        Assert.Equal(tagA, b.Groups.Single(g => g.Limits.Count > 0).Tag);
        Assert.DoesNotContain(python, tagA);
        Assert.Equal(2, a.Groups.Single(g => g.Limits.Count > 0).Limits.Count);
        Assert.All(none.Groups, g => Assert.Empty(g.Limits));
        Assert.Equal(2, none.LimitCount);
    }

    [Fact]
    public void Build_TagsNeverContainTheRawValues()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Client"] = "secret-client-id";
        var request = new CounterRequestBuilder(Hasher).Build(context, TestFeature.For(Policy("header:X-Client", "route"), "203.0.113.7", routeId: "auth-route", hasher: Hasher));

        var everything = string.Join("|", request.Groups.Select(g => g.Tag + string.Join(",", g.Limits.Select(l => l.KeySuffix))));
        Assert.DoesNotContain("secret-client-id", everything);
        Assert.DoesNotContain("203.0.113", everything);
        Assert.DoesNotContain("auth-route", everything);
        Assert.All(request.Groups, g => Assert.DoesNotContain('{', g.Tag + string.Join("", g.Limits.Select(l => l.KeySuffix))));
    }

    [Fact]
    public void Build_HeaderValuesBeyondTheBound_CountAsTheSameValue()
    {
        var builder = new CounterRequestBuilder(Hasher);
        var policy = Policy("header:X-Client");
        var a = new DefaultHttpContext();
        var b = new DefaultHttpContext();
        var common = new string('x', CounterRequestBuilder.MaxHeaderValueChars);
        a.Request.Headers["X-Client"] = common + "a";
        b.Request.Headers["X-Client"] = common + "b";

        Assert.Equal(builder.Build(a, TestFeature.For(policy, "10.0.0.1", hasher: Hasher)).Groups[2].Tag, builder.Build(b, TestFeature.For(policy, "10.0.0.1", hasher: Hasher)).Groups[2].Tag);
    }

    [Fact]
    public void BuildOutcome_SuccessWithoutFailuresOnRecord_NeedsNoStoreCall()
    {
        var policy = TestSettings.Provider(
            ("FraudGateway:Policies:p:LoginOutcome:FailureStatusCodes:0", "401"),
            ("FraudGateway:Policies:p:RateLimits:0:Name", "bf"),
            ("FraudGateway:Policies:p:RateLimits:0:Key", "ip"),
            ("FraudGateway:Policies:p:RateLimits:0:Limit", "5"),
            ("FraudGateway:Policies:p:RateLimits:0:WindowSeconds", "60"),
            ("FraudGateway:Policies:p:RateLimits:0:Counts", "Failures"),
            ("FraudGateway:Policies:p:RateLimits:0:ResetOnSuccess", "true")).Current.Policies["p"];
        var builder = new CounterRequestBuilder(Hasher);
        var clean = TestFeature.For(policy, "10.0.0.1", hasher: Hasher);
        clean.Counters = new CounterResult(null, [new FraudGateway.RateLimiting.RateLimitDecision(true, 4, 0, 0)]);
        var failedBefore = TestFeature.For(policy, "10.0.0.1", hasher: Hasher);
        failedBefore.Counters = new CounterResult(null, [new FraudGateway.RateLimiting.RateLimitDecision(true, 2, 0, 0)]);

        Assert.Null(builder.BuildOutcome(new DefaultHttpContext(), clean, success: true));
        var reset = builder.BuildOutcome(new DefaultHttpContext(), failedBefore, success: true);
        Assert.Equal(CounterMode.Reset, reset!.Groups.Single().Limits.Single().Mode);
        var failure = builder.BuildOutcome(new DefaultHttpContext(), clean, success: false);
        Assert.Equal(CounterMode.Count, failure!.Groups.Single().Limits.Single().Mode);
    }
}
