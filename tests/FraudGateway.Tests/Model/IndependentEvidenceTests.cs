using System.Net;
using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class IndependentEvidenceTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36";

    private static readonly Lazy<RiskModel> Shipped = new(() => RiskModel.Load(RepoPaths.ShippedModel));

    private static RequestFacts Request(string userAgent, bool browserHeaders)
    {
        var facts = new RequestFacts { UserAgent = userAgent, Method = "POST", ContentType = "application/json", Ip = IPAddress.Parse("81.2.69.160") };
        if (browserHeaders)
        {
            facts.Accept = "*/*";
            facts.AcceptLanguage = "en-US,en;q=0.9";
            facts.AcceptEncoding = "gzip, deflate, br, zstd";
            facts.SecFetchSite = "same-origin";
            facts.SecFetchMode = "cors";
            facts.SecFetchDest = "empty";
        }
        else
        {
            facts.Accept = "*/*";
            facts.AcceptEncoding = "gzip, deflate";
        }

        return facts;
    }

    private static (ModelVerdict Verdict, string Evidence) Decide(RequestFacts facts)
    {
        var model = Shipped.Value;
        var extractor = new FeatureExtractor(IpLists.None);
        var score = model.Score(extractor.Extract(facts));
        var verdict = IndependentEvidence.Decide(model, extractor, facts, score, model.Metadata.SuggestedChallengeThreshold, model.Metadata.SuggestedBlockThreshold, out var evidence);
        return (verdict, evidence);
    }

    [Fact]
    public void Decide_LibraryUserAgentWithItsOwnHeaders_IsTwoSignalsAndBlocks()
    {
        var (verdict, evidence) = Decide(Request("python-requests/2.32.3", browserHeaders: false));
        Assert.Equal(ModelVerdict.Block, verdict);
        Assert.Equal("user-agent+header-set", evidence);
    }

    [Theory]
    [InlineData("python-requests/2.32.3")] // a library's user agent behind a copied browser header set
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/150.0.0.0 Safari/537.36")]
    public void Decide_BotUserAgentBehindBrowserHeaders_IsOneSignalAndAChallenge(string userAgent)
    {
        var (verdict, evidence) = Decide(Request(userAgent, browserHeaders: true));
        Assert.Equal(ModelVerdict.Challenge, verdict);
        Assert.DoesNotContain("header-set", evidence);
    }

    [Fact]
    public void Decide_BrowserUserAgentWithAScriptsHeaders_IsOneSignalAndAChallenge()
    {
        var (verdict, _) = Decide(Request(Chrome, browserHeaders: false));
        Assert.Equal(ModelVerdict.Challenge, verdict);
    }

    [Fact]
    public void Decide_BrowserWithItsHeaders_IsAllowed()
    {
        Assert.Equal(ModelVerdict.Allow, Decide(Request(Chrome, browserHeaders: true)).Verdict);
    }

    [Fact]
    public void Decide_BelowTheBlockThreshold_NeverComputesEvidence()
    {
        var facts = Request("python-requests/2.32.3", browserHeaders: false);
        var model = Shipped.Value;
        var verdict = IndependentEvidence.Decide(model, new FeatureExtractor(IpLists.None), facts, 0.6f, 0.5, 0.9, out var evidence);
        Assert.Equal(ModelVerdict.Challenge, verdict);
        Assert.Equal("", evidence);
        Assert.Equal(ModelVerdict.Challenge, IndependentEvidence.Decide(model, new FeatureExtractor(IpLists.None), null, 0.99f, 0.5, 0.9, out _));
    }

    [Fact]
    public void Alone_KeepsOnlyTheGroupAndMakesTheRestOrdinary()
    {
        var facts = Request("python-requests/2.32.3", browserHeaders: false);
        facts.MessageLinks = 7;
        facts.SetCounter(FeatureSchema.FailuresPerIp, 30);

        var userAgent = IndependentEvidence.Alone(facts, SignalGroup.UserAgent, userAgentIsEvidence: false);
        Assert.Equal("python-requests/2.32.3", userAgent.UserAgent);
        Assert.Equal("en-US,en;q=0.9", userAgent.AcceptLanguage);
        Assert.Null(userAgent.SecFetchSite); // a non-browser never sends Sec-Fetch-*: not made a mismatch
        Assert.Null(userAgent.Ip);
        Assert.Equal(-1, userAgent.MessageLinks);
        Assert.Equal(30, userAgent.GetCounter(FeatureSchema.FailuresPerIp));

        var headers = IndependentEvidence.Alone(facts, SignalGroup.HeaderSet, userAgentIsEvidence: true);
        Assert.Equal(IndependentEvidence.OrdinaryUserAgent, headers.UserAgent);
        Assert.Null(headers.AcceptLanguage);
        Assert.Null(headers.SecFetchSite);

        var content = IndependentEvidence.Alone(facts, SignalGroup.Content, userAgentIsEvidence: true);
        Assert.Equal(7, content.MessageLinks);
        Assert.Equal(IndependentEvidence.OrdinaryUserAgent, content.UserAgent);
    }
}
