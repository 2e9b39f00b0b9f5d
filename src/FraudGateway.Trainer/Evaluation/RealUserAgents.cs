using FraudGateway.Trainer.Commands;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Evaluation;

// Real user agents to judge the model on, by source: the training corpora (data/corpora) and the held-out ones
// (data/heldout, scripts/update-heldout-corpora.sh) that the trainer never reads.
public sealed record UserAgentSource(string Name, bool IsBot, bool HeldOut, IReadOnlyList<string> Agents);

public static class RealUserAgents
{
    public static string DefaultHeldOutDirectory => TrainerCli.DefaultPath(Path.Combine("data", "heldout"));

    public static List<UserAgentSource> Load(UserAgentCorpus corpus, string heldOutDirectory)
    {
        var sources = new List<UserAgentSource>
        {
            new("user-agents (training corpus)", false, false, corpus.Browsers.Select(b => b.UserAgent).Distinct().ToList()),
            new("crawler-user-agents (training corpus)", true, false, corpus.Crawlers.Select(c => c.UserAgent).Distinct().ToList()),
        };
        if (!Directory.Exists(heldOutDirectory))
        {
            throw new TrainerException($"{heldOutDirectory}: the held-out user agents are missing (scripts/update-heldout-corpora.sh makes them).");
        }

        foreach (var file in Directory.GetFiles(heldOutDirectory, "*.tsv").Order(StringComparer.Ordinal))
        {
            var browsers = new List<string>();
            var bots = new List<string>();
            foreach (var (parts, lineNumber) in UserAgentCorpus.Rows(file, 2))
            {
                if (parts[0] is not ("browser" or "bot"))
                {
                    throw new TrainerException($"{file}:{lineNumber}: expected 'browser|bot <TAB> user agent <TAB> source'");
                }

                (parts[0] == "bot" ? bots : browsers).Add(parts[1]);
            }

            var name = Path.GetFileNameWithoutExtension(file) + " (held out)";
            if (browsers.Count > 0)
            {
                sources.Add(new UserAgentSource(name, false, true, browsers.Distinct().ToList()));
            }

            if (bots.Count > 0)
            {
                sources.Add(new UserAgentSource(name, true, true, bots.Distinct().ToList()));
            }
        }

        return sources;
    }
}
