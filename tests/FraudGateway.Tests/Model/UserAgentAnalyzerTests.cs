using FraudGateway.Model;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Tests.Model;

public class UserAgentAnalyzerTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36", BrowserFamily.Chrome, 153)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/154.0.0.0 Safari/537.36 Edg/154.0.0.0", BrowserFamily.Edge, 154)]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15", BrowserFamily.Safari, 26)]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:156.0) Gecko/20100101 Firefox/156.0", BrowserFamily.Firefox, 156)]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", BrowserFamily.IosWebView, 18)]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/30.0 Chrome/130.0.0.0 Mobile Safari/537.36", BrowserFamily.SamsungInternet, 30)]
    public void Recognises_browser_families_and_major_versions(string ua, BrowserFamily family, int major)
    {
        var info = UserAgentAnalyzer.Analyze(ua);
        Assert.Equal(family, info.Family);
        Assert.Equal(major, info.MajorVersion);
        Assert.True(info.BrowserStructure >= 3);
        Assert.False(info.AutomationToken);
        Assert.False(info.BotWord);
    }

    [Fact]
    public void Old_versions_are_stale_new_ones_are_not_negative()
    {
        Assert.Equal(155 - 39, UserAgentAnalyzer.Analyze("Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.95 Safari/537.36").Staleness);
        Assert.Equal(0, UserAgentAnalyzer.Analyze("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/190.0.0.0 Safari/537.36").Staleness);
    }

    [Theory]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.32.3")]
    [InlineData("Go-http-client/2.0")]
    [InlineData("okhttp/4.12.0")]
    public void Flags_libraries(string ua)
    {
        var info = UserAgentAnalyzer.Analyze(ua);
        Assert.True(info.AutomationToken);
        Assert.Equal(BrowserFamily.None, info.Family);
        Assert.Equal(0, info.BrowserStructure);
    }

    [Fact]
    public void Flags_headless_bots_and_urls()
    {
        var headless = UserAgentAnalyzer.Analyze("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36");
        Assert.True(headless.Headless);
        var bot = UserAgentAnalyzer.Analyze("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        Assert.True(bot.BotWord);
        Assert.True(bot.HasUrl);
    }

    [Fact]
    public void Missing_huge_and_non_printable_user_agents_have_defined_values()
    {
        Assert.Equal(default, UserAgentAnalyzer.Analyze(null));
        Assert.Equal(default, UserAgentAnalyzer.Analyze(""));

        var huge = UserAgentAnalyzer.Analyze(new string('a', 16 * 1024));
        Assert.Equal(16 * 1024, huge.Length);
        Assert.Equal(0f, huge.CharClassEntropy);

        var broken = UserAgentAnalyzer.Analyze("Mozilla/5.0 \uFFFD\u0001\u00e9");
        Assert.Equal(1, broken.NonPrintable);

        // A real Android build name in Latin-1: printable text, not a broken client.
        var latin1 = UserAgentAnalyzer.Analyze("Mozilla/5.0 (Linux; Android 9; Vers\u00e3o 2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36");
        Assert.Equal(0, latin1.NonPrintable);
    }

    // The staleness table must know the newest version of every family the corpus has.
    [Fact]
    public void Newest_version_table_covers_the_corpus()
    {
        var corpus = UserAgentCorpus.Load(RepoPaths.Corpora);
        foreach (var agent in corpus.Browsers)
        {
            var info = UserAgentAnalyzer.Analyze(agent.UserAgent);
            Assert.NotEqual(BrowserFamily.None, info.Family);
            Assert.True(info.MajorVersion <= UserAgentAnalyzer.NewestMajorOf(info.Family), $"{agent.UserAgent} is newer than the table's {info.Family}");
        }
    }
}
