using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// The two public corpora in data/corpora (scripts/update-ua-corpora.sh): real browser user agents with their
// traffic weights (user-agents, BSD-2-Clause) and real crawler user agents (crawler-user-agents, MIT).
public sealed class UserAgentCorpus
{
    // Browser families kept out of training and used only in held-out evaluation: the model must treat a
    // browser it never saw like the ones it did.
    public static readonly IReadOnlySet<BrowserFamily> HoldoutFamilies = new HashSet<BrowserFamily>
    {
        BrowserFamily.Edge, BrowserFamily.SamsungInternet, BrowserFamily.Opera, BrowserFamily.Yandex,
        BrowserFamily.FirefoxIos, BrowserFamily.IosWebView,
    };

    public UserAgentCorpus(IReadOnlyList<BrowserAgent> browsers, IReadOnlyList<CrawlerAgent> crawlers)
    {
        Browsers = browsers;
        Crawlers = crawlers;
    }

    public IReadOnlyList<BrowserAgent> Browsers { get; }

    public IReadOnlyList<CrawlerAgent> Crawlers { get; }

    public static string DefaultDirectory => Commands.TrainerCli.DefaultPath(Path.Combine("data", "corpora"));

    public static UserAgentCorpus Load(string directory)
    {
        var browserFile = Path.Combine(directory, "browser-user-agents.tsv");
        var crawlerFile = Path.Combine(directory, "crawler-user-agents.tsv");
        if (!File.Exists(browserFile) || !File.Exists(crawlerFile))
        {
            throw new FileNotFoundException($"The user-agent corpora are not in '{directory}' (expected browser-user-agents.tsv and crawler-user-agents.tsv; scripts/update-ua-corpora.sh makes them).");
        }

        var browsers = new List<BrowserAgent>();
        foreach (var (parts, lineNumber) in Rows(browserFile, 3))
        {
            if (!double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) || weight < 0)
            {
                throw new Commands.TrainerException($"{browserFile}:{lineNumber}: the weight '{parts[0]}' is not a non-negative number");
            }

            browsers.Add(new BrowserAgent(parts[2], weight, parts[1], UserAgentAnalyzer.Analyze(parts[2]).Family));
        }

        var crawlers = new List<CrawlerAgent>();
        var patterns = new Dictionary<string, int>();
        foreach (var (parts, _) in Rows(crawlerFile, 2))
        {
            if (!patterns.TryGetValue(parts[0], out var index))
            {
                patterns[parts[0]] = index = patterns.Count;
            }

            crawlers.Add(new CrawlerAgent(parts[1], parts[0], index));
        }

        return new UserAgentCorpus(browsers, crawlers);
    }

    // The data lines of a TSV file (comments and blank lines skipped); a line with fewer columns or an empty last
    // column stops the load with the file and line.
    internal static IEnumerable<(string[] Parts, int Line)> Rows(string file, int columns)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length < columns || parts[columns - 1].Length == 0)
            {
                throw new Commands.TrainerException($"{file}:{lineNumber}: expected {columns} tab-separated columns");
            }

            yield return (parts, lineNumber);
        }
    }
}

public sealed record BrowserAgent(string UserAgent, double Weight, string DeviceCategory, BrowserFamily Family);

// PatternIndex numbers the corpus' patterns (one crawler each); every fourth crawler is held out of training.
public sealed record CrawlerAgent(string UserAgent, string Pattern, int PatternIndex)
{
    public bool HeldOut => PatternIndex % 4 == 0;
}
