using FraudGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Defense;

public class DefenseOptionsParserTests
{
    private static GatewayConfigLoader.Result Load(params (string Key, string? Value)[] values) => GatewayConfigLoader.Load(
        new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Urls", "http://127.0.0.1:5000"),
            new("FraudGateway:Policies:login:BodyInspection:AccountField", "username"),
            new("FraudGateway:Policies:login:RateLimits:0:Name", "route-minute"),
            new("FraudGateway:Policies:login:RateLimits:0:Key", "route"),
            new("FraudGateway:Policies:login:RateLimits:0:Limit", "100"),
            new("FraudGateway:Policies:login:RateLimits:0:WindowSeconds", "60"),
            .. values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
        ]).Build());

    [Fact]
    public void Load_Defense_AddsTheDetectorsWindowsOutOfTheHeaders()
    {
        var result = Load(("FraudGateway:Policies:login:LoginOutcome:FailureStatusCodes:0", "401"),
            ("FraudGateway:Policies:login:Defense:Detector:CooldownSeconds", "120"));

        Assert.Empty(result.Errors);
        var policy = result.Settings!.Policies["login"];
        var defense = policy.Defense!;
        Assert.Equal(4, policy.RateLimits.Length);
        Assert.True(policy.RateLimits[defense.AttemptsSlot].Internal);
        Assert.True(policy.RateLimits[defense.SuccessesSlot].CountsSuccesses);
        Assert.True(policy.RateLimits[defense.BreachedSlot].Internal);
        Assert.True(policy.RateLimits[defense.BreachedSlot].CountsAfterDecision);
        Assert.True(policy.HasOutcomeLimits);
        Assert.True(policy.RateLimits[0].IsRouteWide);
        Assert.False(policy.RateLimits[defense.AttemptsSlot].IsRouteWide);
        Assert.Equal("\"route-minute\";q=100;w=60", policy.RateLimitPolicyHeader);
        Assert.Equal(TimeSpan.FromDays(30), defense.TrustedDevices!.Lifetime);
        Assert.Equal(120, defense.Detector.CooldownSeconds);
    }

    [Fact]
    public void Load_BadDefense_ListsEveryProblemWithItsPath()
    {
        var result = Load(
            ("FraudGateway:Policies:login:Defense:Detector:WindowSeconds", "5"),
            ("FraudGateway:Policies:login:Defense:Detector:MinUnprovenShare", "1.5"),
            ("FraudGateway:Policies:login:Defense:Detector:UnprovenMultiplier", "0.5"),
            ("FraudGateway:Policies:login:Defense:TrustedDevices:LifetimeDays", "0"),
            ("FraudGateway:Policies:login:Defense:TrustedDevices:CookieName", "bad name"));

        const string at = "FraudGateway:Policies:login:Defense";
        Assert.Null(result.Settings);
        Assert.Contains($"{at}: Defense needs the policy's LoginOutcome section (the detector counts the upstream's login answers).", result.Errors);
        Assert.Contains($"{at}:Detector:WindowSeconds must be between 10 and 3600 (was 5).", result.Errors);
        Assert.Contains($"{at}:Detector:MinUnprovenShare must be between 0 and 1 (was 1.5).", result.Errors);
        Assert.Contains($"{at}:Detector:UnprovenMultiplier must be between 1 and 1000 (was 0.5).", result.Errors);
        Assert.Contains($"{at}:TrustedDevices:LifetimeDays must be between 1 and 400 (was 0).", result.Errors);
        Assert.Contains($"{at}:TrustedDevices:CookieName must be a token of letters, digits, '-', '_' or '.' (was 'bad name').", result.Errors);
    }
}
