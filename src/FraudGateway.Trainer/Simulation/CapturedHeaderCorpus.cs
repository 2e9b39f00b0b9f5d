using System.Text.Json;
using FraudGateway.Trainer.Capture;
using FraudGateway.Trainer.Commands;

namespace FraudGateway.Trainer.Simulation;

// data/client-headers/captured.jsonl (scripts/capture-client-headers.sh): the headers real client software sent
// to the capture endpoint on this machine. Browser sets are keyed by engine and request kind; tool sets keep the
// tool's own user agent. A line that cannot be read stops the load with the file and line.
public sealed class CapturedHeaderCorpus
{
    // Clients whose sets are what a person's browser sends (a real window, no automation).
    private static readonly Dictionary<string, BrowserEngine> PersonBrowsers = new(StringComparer.Ordinal)
    {
        ["chromium"] = BrowserEngine.Chromium,
        ["firefox-esr"] = BrowserEngine.Gecko,
    };

    // Real browsers driven headless: their sets (HeadlessChrome user agent included) are automation's.
    private static readonly HashSet<string> HeadlessBrowsers = new(StringComparer.Ordinal) { "chromium-headless", "chromium-playwright-headless" };

    public CapturedHeaderCorpus(IReadOnlyList<CapturedSet> sets)
    {
        Sets = sets;
        Browsers = sets.Where(s => s.Engine is not null).ToList();
        Headless = sets.Where(s => HeadlessBrowsers.Contains(s.Client)).ToList();
        Tools = sets.Where(s => s.Engine is null && !HeadlessBrowsers.Contains(s.Client) && s.Method == "POST").ToList();
        if (!Browsers.Any(b => b.Engine == BrowserEngine.Chromium && b.Request == "fetch") || !Browsers.Any(b => b.Engine == BrowserEngine.Gecko && b.Request == "fetch") || Tools.Count == 0)
        {
            throw new TrainerException("The captured header corpus needs a Chromium and a Firefox fetch() set and at least one tool's POST (scripts/capture-client-headers.sh makes them).");
        }
    }

    public IReadOnlyList<CapturedSet> Sets { get; }

    public IReadOnlyList<CapturedSet> Browsers { get; }

    public IReadOnlyList<CapturedSet> Headless { get; }

    public IReadOnlyList<CapturedSet> Tools { get; }

    public static string DefaultPath => TrainerCli.DefaultPath(Path.Combine("data", "client-headers", "captured.jsonl"));

    // The person's browser set for an engine and a request kind: "fetch" / "fetch-library" (JSON) or "form".
    public CapturedSet Browser(BrowserEngine engine, string request) =>
        Browsers.FirstOrDefault(b => b.Engine == engine && b.Request == request) ?? Browsers.First(b => b.Engine == engine && b.Request == "fetch");

    public static CapturedHeaderCorpus Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainerException($"{path}: the captured header corpus is missing (scripts/capture-client-headers.sh makes it).");
        }

        var sets = new List<CapturedSet>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            CapturedRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<CapturedRequest>(line);
            }
            catch (JsonException e)
            {
                throw new TrainerException($"{path}:{lineNumber}: not a captured request ({e.Message})");
            }

            if (request is null || string.IsNullOrEmpty(request.Client) || string.IsNullOrEmpty(request.Request) || request.Headers is null
                || request.Headers.Any(h => h is not { Length: 2 } || string.IsNullOrEmpty(h[0])))
            {
                throw new TrainerException($"{path}:{lineNumber}: a captured request needs Client, Request, Method and Headers as [name, value] pairs");
            }

            var headers = request.Headers.GroupBy(h => h[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.OrdinalIgnoreCase);
            sets.Add(new CapturedSet(request.Client, request.Version, request.Request, request.Method, headers,
                PersonBrowsers.TryGetValue(request.Client, out var engine) ? engine : null));
        }

        return new CapturedHeaderCorpus(sets);
    }
}

public enum BrowserEngine
{
    Chromium,
    Gecko,
}

public sealed record CapturedSet(string Client, string Version, string Request, string Method, IReadOnlyDictionary<string, string> Headers, BrowserEngine? Engine)
{
    public string? this[string name] => Headers.TryGetValue(name, out var value) ? value : null;
}
