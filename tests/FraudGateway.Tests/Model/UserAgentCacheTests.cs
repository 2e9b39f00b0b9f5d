using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class UserAgentCacheTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36";

    [Fact]
    public void Answers_what_the_analyzer_answers_cached_or_not()
    {
        var cache = new UserAgentCache();

        Assert.Equal(UserAgentAnalyzer.Analyze(Chrome), cache.Analyze(Chrome));
        Assert.Equal(UserAgentAnalyzer.Analyze(Chrome), cache.Analyze(Chrome));
        Assert.Equal(default, cache.Analyze(null));
        var huge = "Mozilla/5.0 (" + new string('x', 2000);
        Assert.Equal(UserAgentAnalyzer.Analyze(huge), cache.Analyze(huge));
    }

    // Each extractor reads through its own cache unless it is given one: no process-wide state between two gateways
    // (or a gateway and a test) in one process.
    [Fact]
    public void Extractors_share_a_cache_only_when_given_one()
    {
        var shared = new UserAgentCache();
        var a = new FeatureExtractor(IpLists.None, shared);
        var b = new FeatureExtractor(IpLists.None, shared);
        var c = new FeatureExtractor(IpLists.None);

        Assert.Same(a.UserAgents, b.UserAgents);
        Assert.NotSame(a.UserAgents, c.UserAgents);
    }

    [Fact]
    public void Stays_bounded_when_every_user_agent_is_new()
    {
        var cache = new UserAgentCache();
        for (var i = 0; i < (UserAgentCache.Capacity * 2) + 10; i++)
        {
            var agent = Chrome.Replace("537.36", $"537.{i}", StringComparison.Ordinal);
            Assert.Equal(UserAgentAnalyzer.Analyze(agent), cache.Analyze(agent));
            Assert.InRange(cache.Count, 1, UserAgentCache.Capacity);
        }
    }
}
