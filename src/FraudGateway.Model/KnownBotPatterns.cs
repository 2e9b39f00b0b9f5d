using System.Text;
using System.Text.RegularExpressions;

namespace FraudGateway.Model;

// "Is this user agent a bot, crawler, monitor, HTTP library or command-line tool?" answered with the pattern list of
// isbot (npm, Unlicense; data/isbot-patterns.txt, scripts/update-isbot-patterns.sh). We use its data rather than our
// own word list because it is maintained against real traffic and measures better: on data/corpora it flags 2,109
// of 2,118 crawler user agents and none of the browsers, where our hand-written bot words and automation tokens miss
// most library and monitor agents. A unit test checks that this port gives isbot's own verdict on every user agent
// the repository holds (data/corpora/isbot-verdicts.tsv).
public static class KnownBotPatterns
{
    private const string Resource = "FraudGateway.Model.data.isbot-patterns.txt";

    // isbot joins every pattern into one case-insensitive alternation. .NET's backtracking engine runs that one many
    // times slower per browser user agent (docs/performance.md, "Design figures"), a cheap way for an attacker to
    // burn our CPU. So the patterns without lookarounds go to the NonBacktracking engine (linear time) and the few
    // with lookarounds to a small compiled one. Same verdicts: a unit test checks every user agent the repository
    // holds against isbot's own. UserAgentAnalyzer also caches the answer per string.
    private static readonly (Regex Plain, Regex Lookaround) Patterns = Build();

    public static int PatternCount { get; private set; }

    public static bool IsMatch(ReadOnlySpan<char> userAgent)
    {
        try
        {
            return Patterns.Plain.IsMatch(userAgent) || Patterns.Lookaround.IsMatch(userAgent);
        }
        catch (RegexMatchTimeoutException)
        {
            // Only a stalled machine gets here (both engines are fast on a 1 KB user agent): no verdict is not
            // evidence, so it does not mark a person's browser as a bot.
            return false;
        }
    }

    private static (Regex Plain, Regex Lookaround) Build()
    {
        using var stream = typeof(KnownBotPatterns).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Embedded resource {Resource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var patterns = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                patterns.Add(line);
            }
        }

        PatternCount = patterns.Count;
        var lookaround = patterns.Where(p => p.Contains("(?<", StringComparison.Ordinal) || p.Contains("(?=", StringComparison.Ordinal) || p.Contains("(?!", StringComparison.Ordinal)).ToList();
        var plain = patterns.Except(lookaround).ToList();
        const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        return (new Regex(string.Join('|', plain), Options | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1)),
            new Regex(string.Join('|', lookaround), Options | RegexOptions.Compiled, TimeSpan.FromSeconds(1)));
    }
}
