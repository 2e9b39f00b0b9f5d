using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Model;
using FraudGateway.Scoring;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Scoring;

public class ChallengeLadderTests
{
    private static readonly ModelMetadata Model = new() { Name = "m", SuggestedChallengeThreshold = 0.5, SuggestedBlockThreshold = 0.9 };

    private static readonly ChallengeLadder Both = new()
    {
        ProofOfWork = new ChallengeRung("pow", null),
        Captcha = new ChallengeRung("turnstile", 0.8),
    };

    [Theory]
    [InlineData(0.2f, ModelVerdict.Allow, LadderStepKind.Allow)]
    [InlineData(0.6f, ModelVerdict.Challenge, LadderStepKind.ProofOfWork)]
    [InlineData(0.85f, ModelVerdict.Challenge, LadderStepKind.Captcha)]
    [InlineData(0.95f, ModelVerdict.Block, LadderStepKind.Block)]
    // At the block threshold with one signal group: the top challenge rung, not a block.
    [InlineData(0.95f, ModelVerdict.Challenge, LadderStepKind.Captcha)]
    public void Step_ClimbsTheRungsInOrder(float score, ModelVerdict verdict, LadderStepKind expected)
    {
        Assert.Equal(expected, Both.Step(score, verdict, Model).Kind);
    }

    [Fact]
    public void Step_BlockDisabled_AnswersTheTopChallengeRung()
    {
        var ladder = new ChallengeLadder { ProofOfWork = new ChallengeRung("pow", null), Blocks = false };
        Assert.Equal(double.PositiveInfinity, ladder.BlockAt(Model));
        Assert.Equal(LadderStepKind.ProofOfWork, ladder.Step(0.99f, ModelVerdict.Block, Model).Kind);
    }

    [Fact]
    public void Thresholds_DefaultToTheModelsCard()
    {
        Assert.Equal(0.5, Both.ChallengeThreshold(Model));
        Assert.Equal(0.9, Both.BlockAt(Model));
        Assert.Equal(0.6, new ChallengeLadder { ProofOfWork = new ChallengeRung("pow", 0.6), BlockThreshold = 0.95 }.ChallengeThreshold(Model));
    }

    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Urls", "http://127.0.0.1:5000"),
            new("FraudGateway:Captcha:Providers:pow:Type", "ProofOfWork"),
            new("FraudGateway:Captcha:Providers:turnstile:Type", "Turnstile"),
            new("FraudGateway:Captcha:Providers:turnstile:SiteKey", "site"),
            new("FraudGateway:Captcha:Providers:turnstile:Secret", "secret"),
            new("FraudGateway:Policies:login:Scoring:Mode", "Enforce"),
            .. values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)),
        ]).Build();

    [Fact]
    public void Load_NoLadder_ChallengesWithTheBuiltInProofOfWork()
    {
        var result = GatewayConfigLoader.Load(Config());

        Assert.Empty(result.Errors);
        var ladder = result.Settings!.Policies["login"].Scoring!.Ladder;
        Assert.Equal(CaptchaProviderRegistry.BuiltInProofOfWork, ladder.ProofOfWork!.Provider);
        Assert.Null(ladder.Captcha);
        Assert.True(ladder.Blocks);
    }

    [Fact]
    public void Load_PolicyCaptchaWithoutLadder_IsTheChallengeRung()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Policies:login:Captcha:Mode", "WhenRisky"),
            ("FraudGateway:Policies:login:Captcha:Provider", "turnstile"),
            ("FraudGateway:Policies:login:Scoring:ChallengeThreshold", "0.6")));

        Assert.Empty(result.Errors);
        var ladder = result.Settings!.Policies["login"].Scoring!.Ladder;
        Assert.Null(ladder.ProofOfWork);
        Assert.Equal(new ChallengeRung("turnstile", 0.6), ladder.Captcha);
    }

    [Fact]
    public void Load_FullLadder_KeepsEveryRung()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Policies:login:Scoring:Ladder:ProofOfWork:Provider", "pow"),
            ("FraudGateway:Policies:login:Scoring:Ladder:ProofOfWork:Threshold", "0.6"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Captcha:Provider", "turnstile"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Captcha:Threshold", "0.8"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Block:Threshold", "0.95")));

        Assert.Empty(result.Errors);
        var ladder = result.Settings!.Policies["login"].Scoring!.Ladder;
        Assert.Equal(new ChallengeRung("pow", 0.6), ladder.ProofOfWork);
        Assert.Equal(new ChallengeRung("turnstile", 0.8), ladder.Captcha);
        Assert.Equal(0.95, ladder.BlockThreshold);
    }

    [Fact]
    public void Load_BadLadder_ListsEveryProblemWithItsPath()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Policies:login:Scoring:BlockThreshold", "0.9"),
            ("FraudGateway:Policies:login:Scoring:Ladder:ProofOfWork:Provider", "turnstile"),
            ("FraudGateway:Policies:login:Scoring:Ladder:ProofOfWork:Threshold", "0.7"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Captcha:Provider", "missing"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Block:Threshold", "0.6")));

        const string at = "FraudGateway:Policies:login:Scoring";
        Assert.Contains($"{at}: ChallengeThreshold and BlockThreshold cannot be used with a Ladder; give each rung its Threshold.", result.Errors);
        Assert.Contains($"{at}:Ladder:ProofOfWork:Provider 'turnstile' is a captcha; the ProofOfWork rung needs a ProofOfWork provider.", result.Errors);
        Assert.Contains($"{at}:Ladder:Captcha:Provider 'missing' is not defined under FraudGateway:Captcha:Providers.", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith($"{at}:Ladder:Block:Threshold (0.6) must be above", StringComparison.Ordinal));
        Assert.Null(result.Settings);
    }

    [Fact]
    public void Load_CaptchaRungAboveProofOfWorkWithoutThreshold_IsAnError()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Policies:login:Scoring:Ladder:ProofOfWork:Provider", "pow"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Captcha:Provider", "turnstile"),
            ("FraudGateway:Policies:login:Scoring:Ladder:Captcha:Threshold", null)));

        Assert.Contains("FraudGateway:Policies:login:Scoring:Ladder:Captcha:Threshold is required above a ProofOfWork rung (the score from which the captcha replaces the proof of work).", result.Errors);
    }
}
