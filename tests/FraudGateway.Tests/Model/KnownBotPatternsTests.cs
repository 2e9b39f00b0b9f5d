using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class KnownBotPatternsTests
{
    // data/corpora/isbot-verdicts.tsv holds isbot's own answer (run in Node by scripts/update-isbot-patterns.sh) for
    // every user agent of the training and held-out corpora: the .NET port must agree on each one.
    [Fact]
    public void Port_agrees_with_isbot_on_every_user_agent_the_repository_holds()
    {
        var file = Path.Combine(RepoPaths.Root, "data", "corpora", "isbot-verdicts.tsv");
        var disagreements = new List<string>();
        var checkedAgents = 0;
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            var expected = line[..tab] == "1";
            var agent = line[(tab + 1)..];
            checkedAgents++;
            if (KnownBotPatterns.IsMatch(agent) != expected)
            {
                disagreements.Add($"{(expected ? "isbot flags" : "isbot passes")}: {agent}");
            }
        }

        Assert.True(checkedAgents > 3000, $"only {checkedAgents} user agents checked");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(20)));
    }

    [Fact]
    public void Every_pattern_of_the_list_is_loaded()
    {
        var lines = File.ReadLines(Path.Combine(RepoPaths.Root, "src", "FraudGateway.Model", "data", "isbot-patterns.txt")).Count(l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(KnownBotPatterns.IsMatch("curl/8.5.0"));
        Assert.Equal(lines, KnownBotPatterns.PatternCount);
    }

    [Fact]
    public void A_long_user_agent_is_answered_quickly_and_bounded()
    {
        var info = UserAgentAnalyzer.Analyze("Mozilla/5.0 (" + new string('x', 64 * 1024));
        Assert.False(info.KnownBot);
        Assert.True(UserAgentAnalyzer.Analyze(new string('a', 5000) + " bot").Length == 5004);
    }
}
