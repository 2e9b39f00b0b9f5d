using System.Globalization;
using System.Text;
using System.Text.Json;
using FraudGateway.Model;
using FraudGateway.Trainer.Data;
using FraudGateway.Trainer.Evaluation;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Commands;

public sealed record UserAgentCheck(int Agents, int AtOrAboveChallenge, int AtOrAboveBlock, float MaxScore, string? WorstAgent, IReadOnlyDictionary<string, (int Agents, float MaxScore)> ByFamily);

public sealed record EvaluationReport(
    string ModelVersion,
    int Rows,
    int Positives,
    int Negatives,
    double AucRoc,
    double AucPr,
    double ChallengeThreshold,
    double BlockThreshold,
    IReadOnlyList<ThresholdMetrics> Thresholds,
    IReadOnlyList<(string Scenario, bool Abusive, int Rows, double AtChallenge, double AtBlock)> Scenarios,
    IReadOnlyList<(string Family, int Rows, double FalsePositiveRateAtBlock, double FalsePositiveRateAtChallenge)> BenignFamilies,
    IReadOnlyList<(string Feature, double AucDrop)> PermutationImportance,
    UserAgentCheck UserAgentCheck);

// Held-out evaluation: ranking metrics, precision/recall/F1/FPR at several thresholds, confusion matrices at the
// challenge and block thresholds, per-scenario and per-browser-family rates, permutation feature importance, and
// the user-agent-alone check over the whole browser corpus.
public static class ModelEvaluator
{
    private static readonly double[] FixedThresholds = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99];

    public static EvaluationReport Evaluate(RiskModel model, IReadOnlyList<LoadedRecord> records, UserAgentCorpus? corpus, AddressSpace addresses, FeatureExtractor extractor,
        double challenge, double block, int seed, IProgress<string> progress)
    {
        var rows = records.Where(r => r.Label is not null).ToList();
        var labels = rows.Select(r => r.Label == true).ToList();
        if (!labels.Contains(true) || !labels.Contains(false))
        {
            throw new TrainerException("The evaluation data needs labelled rows of both classes.");
        }

        progress.Report($"scoring {rows.Count} rows");
        var scores = rows.Select(r => model.Score(r.Features)).ToList();
        var thresholds = FixedThresholds.Append(challenge).Append(block).Distinct().Order().Select(t => BinaryMetrics.AtThreshold(scores, labels, t)).ToList();

        var scenarios = rows.Select((r, i) => (r, i)).GroupBy(x => (x.r.Scenario ?? "(none)", x.r.Label == true)).OrderBy(g => g.Key.Item2).ThenBy(g => g.Key.Item1)
            .Select(g => (g.Key.Item1, g.Key.Item2, g.Count(), g.Count(x => scores[x.i] >= challenge) / (double)g.Count(), g.Count(x => scores[x.i] >= block) / (double)g.Count()))
            .ToList();

        var families = rows.Select((r, i) => (r, i)).Where(x => x.r.Label == false && x.r.UserAgent is not null)
            .GroupBy(x => UserAgentAnalyzer.Analyze(x.r.UserAgent).Family.ToString()).OrderByDescending(g => g.Count())
            .Select(g => (g.Key, g.Count(), g.Count(x => scores[x.i] >= block) / (double)g.Count(), g.Count(x => scores[x.i] >= challenge) / (double)g.Count()))
            .ToList();

        progress.Report("permutation feature importance");
        var importance = PermutationImportance(model, rows, labels, seed, progress);

        UserAgentCheck uaCheck = new(0, 0, 0, 0, null, new Dictionary<string, (int, float)>());
        if (corpus is not null)
        {
            progress.Report($"user-agent-alone check over {corpus.Browsers.Count} corpus browser user agents");
            uaCheck = CheckUserAgents(model, corpus, addresses, extractor, challenge, block, seed);
        }

        return new EvaluationReport(model.Version, rows.Count, labels.Count(l => l), labels.Count(l => !l), BinaryMetrics.AucRoc(scores, labels), BinaryMetrics.AucPr(scores, labels),
            challenge, block, thresholds, scenarios, families, importance, uaCheck);
    }

    public static UserAgentCheck CheckUserAgents(RiskModel model, UserAgentCorpus corpus, AddressSpace addresses, FeatureExtractor extractor, double challenge, double block, int seed)
    {
        var random = new Random(seed);
        var vector = new float[FeatureSchema.Count];
        int atChallenge = 0, atBlock = 0;
        float max = 0;
        string? worst = null;
        var byFamily = new Dictionary<string, (int, float)>();
        foreach (var agent in corpus.Browsers)
        {
            extractor.Extract(BenignContext.For(agent.UserAgent, addresses, random), vector);
            var score = model.Score(vector);
            atChallenge += score >= challenge ? 1 : 0;
            atBlock += score >= block ? 1 : 0;
            if (score > max)
            {
                max = score;
                worst = agent.UserAgent;
            }

            var family = agent.Family.ToString();
            var (n, familyMax) = byFamily.GetValueOrDefault(family);
            byFamily[family] = (n + 1, Math.Max(familyMax, score));
        }

        return new UserAgentCheck(corpus.Browsers.Count, atChallenge, atBlock, max, worst, byFamily);
    }

    // AUC lost when one feature's column is shuffled across (up to 8000) rows: how much the model leans on it.
    private static List<(string, double)> PermutationImportance(RiskModel model, List<LoadedRecord> rows, List<bool> labels, int seed, IProgress<string> progress)
    {
        var random = new Random(seed);
        var sample = Enumerable.Range(0, rows.Count).OrderBy(_ => random.Next()).Take(8000).ToArray();
        var sampleLabels = sample.Select(i => labels[i]).ToList();
        var baseline = BinaryMetrics.AucRoc(sample.Select(i => model.Score(rows[i].Features)).ToList(), sampleLabels);
        var vector = new float[FeatureSchema.Count];
        var result = new List<(string, double)>();
        for (var slot = 0; slot < FeatureSchema.Count; slot++)
        {
            var permuted = sample.Select(i => rows[i].Features![slot]).OrderBy(_ => random.Next()).ToArray();
            var scores = new List<float>(sample.Length);
            for (var k = 0; k < sample.Length; k++)
            {
                rows[sample[k]].Features!.CopyTo(vector, 0);
                vector[slot] = permuted[k];
                scores.Add(model.Score(vector));
            }

            result.Add((FeatureSchema.Names[slot], baseline - BinaryMetrics.AucRoc(scores, sampleLabels)));
            if (slot % 15 == 14)
            {
                progress.Report($"permutation importance: {slot + 1}/{FeatureSchema.Count} features");
            }
        }

        return result.OrderByDescending(r => r.Item2).ToList();
    }

    public static string ToJson(EvaluationReport r) => JsonSerializer.Serialize(new
    {
        model = r.ModelVersion,
        rows = r.Rows,
        positives = r.Positives,
        negatives = r.Negatives,
        aucRoc = r.AucRoc,
        aucPr = r.AucPr,
        challengeThreshold = r.ChallengeThreshold,
        blockThreshold = r.BlockThreshold,
        thresholds = r.Thresholds.Select(t => new { threshold = t.Threshold, precision = t.Precision, recall = t.Recall, f1 = t.F1, falsePositiveRate = t.FalsePositiveRate, tp = t.TruePositives, fp = t.FalsePositives, tn = t.TrueNegatives, fn = t.FalseNegatives }),
        scenarios = r.Scenarios.Select(s => new { scenario = s.Scenario, abusive = s.Abusive, rows = s.Rows, shareAtChallenge = s.AtChallenge, shareAtBlock = s.AtBlock }),
        benignFamilies = r.BenignFamilies.Select(f => new { family = f.Family, rows = f.Rows, falsePositiveRateAtBlock = f.FalsePositiveRateAtBlock, falsePositiveRateAtChallenge = f.FalsePositiveRateAtChallenge }),
        permutationImportance = r.PermutationImportance.Select(p => new { feature = p.Feature, aucDrop = p.AucDrop }),
        userAgentAlone = new { agents = r.UserAgentCheck.Agents, atOrAboveChallenge = r.UserAgentCheck.AtOrAboveChallenge, atOrAboveBlock = r.UserAgentCheck.AtOrAboveBlock, maxScore = r.UserAgentCheck.MaxScore },
    }, new JsonSerializerOptions { WriteIndented = true });

    public static string ToModelCard(EvaluationReport r, ModelMetadata metadata, string evaluationSource)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Model card: {metadata.Name}");
        md.AppendLine();
        md.AppendLine(c, $"Version `{r.ModelVersion}` · feature schema {metadata.SchemaVersion} ({metadata.FeatureNames.Length} features) · {metadata.Trainer} · seed {metadata.Seed} · trained {metadata.TrainedAt:yyyy-MM-dd}.");
        md.AppendLine();
        md.AppendLine("## What it does");
        md.AppendLine();
        md.AppendLine("Scores one request to a login, signup or contact-form endpoint with the probability that it is automated abuse, from its");
        md.AppendLine("user agent and headers, its address (version, private ranges, operator CIDR lists), the time, the client's inter-arrival");
        md.AppendLine("pattern, the gateway's counters (requests, distinct accounts, failures) and contact-form facts. Every score comes with the");
        md.AppendLine("three features that pushed it up most (ML.NET feature contributions). Feature list: `src/FraudGateway.Model/FeatureSchema.cs`.");
        md.AppendLine();
        md.AppendLine("## Data provenance");
        md.AppendLine();
        md.AppendLine(c, $"Training: {string.Join(", ", metadata.TrainingData)} ({metadata.TrainingRows} rows fitted; a seeded 20% of the labelled rows chose the thresholds).");
        md.AppendLine(c, $"Evaluation: {evaluationSource} — a different seed, and half of its browser traffic from families held out of training");
        md.AppendLine(c, $"({string.Join(", ", UserAgentCorpus.HoldoutFamilies)}), with crawlers held out of training (every fourth crawler of the corpus).");
        md.AppendLine();
        md.AppendLine("All rows are **simulated** by `fraudgateway-trainer simulate` (src/FraudGateway.Trainer/Simulation): people logging in (typos,");
        md.AppendLine("forgotten passwords, offices and mobile carriers sharing addresses, VPN/Tor/cloud-desktop users), writing to the contact form and");
        md.AppendLine("signing up; and credential stuffing from rotating IPv4 and from one IPv6 /64, brute force on one account, contact-form spam");
        md.AppendLine("bursts, low-and-slow stuffing under naive limits, crawlers, headless browsers and signup abuse. User agents are real: browsers");
        md.AppendLine("from the `user-agents` npm package (BSD-2-Clause, weighted as in the corpus) and crawlers from `crawler-user-agents` (MIT),");
        md.AppendLine("both in data/corpora with their licences. Datacenter/Tor/VPN ranges are synthetic (data/sim-ip-lists), not real provider lists.");
        md.AppendLine();
        md.AppendLine("## Held-out metrics");
        md.AppendLine();
        md.AppendLine(c, $"{r.Rows} rows ({r.Positives} abusive, {r.Negatives} benign). **AUC-ROC {r.AucRoc:0.0000}**, AUC-PR {r.AucPr:0.0000}.");
        md.AppendLine();
        md.AppendLine("| threshold | precision | recall | F1 | false-positive rate | TP | FP | TN | FN |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var t in r.Thresholds)
        {
            var tag = t.Threshold == r.BlockThreshold ? " (block)" : t.Threshold == r.ChallengeThreshold ? " (challenge)" : "";
            md.AppendLine(c, $"| {t.Threshold:0.####}{tag} | {t.Precision:0.0000} | {t.Recall:0.0000} | {t.F1:0.0000} | {t.FalsePositiveRate:0.00000} | {t.TruePositives} | {t.FalsePositives} | {t.TrueNegatives} | {t.FalseNegatives} |");
        }

        foreach (var (label, threshold) in new[] { ("challenge", r.ChallengeThreshold), ("block", r.BlockThreshold) })
        {
            var t = r.Thresholds.First(x => x.Threshold == threshold);
            md.AppendLine();
            md.AppendLine(c, $"Confusion matrix at the {label} threshold {threshold:0.####}:");
            md.AppendLine();
            md.AppendLine("| | scored abusive | scored benign |");
            md.AppendLine("|---|---|---|");
            md.AppendLine(c, $"| abusive | {t.TruePositives} | {t.FalseNegatives} |");
            md.AppendLine(c, $"| benign | {t.FalsePositives} | {t.TrueNegatives} |");
        }

        md.AppendLine();
        md.AppendLine("## Intended thresholds");
        md.AppendLine();
        md.AppendLine(c, $"- challenge (captcha required) at **{r.ChallengeThreshold:0.####}**: chosen for at most {ModelTrainer.ChallengeFalsePositiveBudget:P1} of benign validation traffic, never below {ModelTrainer.MinimumChallengeThreshold};");
        md.AppendLine(c, $"- block at **{r.BlockThreshold:0.####}**: chosen for at most {ModelTrainer.BlockFalsePositiveBudget:P1} of benign validation traffic, never below {ModelTrainer.MinimumBlockThreshold}.");
        md.AppendLine("Start a new model in shadow (policy `Scoring.Mode: Shadow`, or as `Model:CandidatePath`) and read its decision records before enforcing.");
        md.AppendLine();
        md.AppendLine("## Per scenario (share scored at or above each threshold)");
        md.AppendLine();
        md.AppendLine("| scenario | abusive | rows | at challenge | at block |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var s in r.Scenarios)
        {
            md.AppendLine(c, $"| {s.Scenario} | {(s.Abusive ? "yes" : "no")} | {s.Rows} | {s.AtChallenge:P2} | {s.AtBlock:P2} |");
        }

        md.AppendLine();
        md.AppendLine("## Benign traffic per browser family (false-positive rate)");
        md.AppendLine();
        md.AppendLine("| family | benign rows | FPR at block | FPR at challenge | held out of training |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var f in r.BenignFamilies)
        {
            var heldOut = Enum.TryParse<BrowserFamily>(f.Family, out var family) && UserAgentCorpus.HoldoutFamilies.Contains(family);
            md.AppendLine(c, $"| {f.Family} | {f.Rows} | {f.FalsePositiveRateAtBlock:P2} | {f.FalsePositiveRateAtChallenge:P2} | {(heldOut ? "yes" : "no")} |");
        }

        var ua = r.UserAgentCheck;
        md.AppendLine();
        md.AppendLine("## Real browsers on their user agent alone");
        md.AppendLine();
        md.AppendLine(c, $"Every one of the {ua.Agents} browser user agents of the corpus (all families, rare and old versions included), sent as a");
        md.AppendLine("first login from a residential address at 14:00 UTC with the headers that browser version sends and nothing else suspicious:");
        md.AppendLine(c, $"**{ua.AtOrAboveBlock} at or above the block threshold**, {ua.AtOrAboveChallenge} at or above the challenge threshold, highest score {ua.MaxScore:0.0000}.");
        md.AppendLine();
        md.AppendLine("| family | user agents | highest score |");
        md.AppendLine("|---|---|---|");
        foreach (var (family, (agents, max)) in ua.ByFamily.OrderByDescending(kv => kv.Value.Agents))
        {
            md.AppendLine(c, $"| {family} | {agents} | {max:0.0000} |");
        }

        md.AppendLine();
        md.AppendLine("## Permutation feature importance (AUC-ROC lost when the feature is shuffled, 8000 held-out rows)");
        md.AppendLine();
        md.AppendLine("| feature | AUC drop |");
        md.AppendLine("|---|---|");
        foreach (var (feature, drop) in r.PermutationImportance.Take(20))
        {
            md.AppendLine(c, $"| {feature} | {drop:0.00000} |");
        }

        md.AppendLine();
        md.AppendLine("## Known blind spots");
        md.AppendLine();
        md.AppendLine("- Trained on simulated traffic only. Real attacks differ; retrain on your own labelled decision records (docs/training-data.md).");
        md.AppendLine("- A careful attacker with residential proxies, a copied browser's full header set and one attempt per address and account");
        md.AppendLine("  looks like a person to every feature here; rate limits on accounts and prefixes and the captcha are the defence there.");
        md.AppendLine("- Native mobile apps and API clients with library user agents (okhttp, CFNetwork) are not in the benign data: behind an API that");
        md.AppendLine("  serves apps, run the model in shadow and retrain before enforcing.");
        md.AppendLine("- Counters were simulated over one-hour windows (requests also per minute); map rate limits with similar windows");
        md.AppendLine("  (Scoring.Counters). Counters that are not mapped are -1 (unknown), which the model saw for contact/signup traffic.");
        md.AppendLine("- Inter-arrival features are per gateway instance (in-process history); several instances each see part of a client's rhythm.");
        md.AppendLine("- Datacenter/Tor/VPN features are only as good as the operator's lists; the shipped demo configuration sets none.");
        md.AppendLine("- Browser version staleness is measured against the newest versions in the corpus (user-agents@2.1.198); newer versions");
        md.AppendLine("  count as current.");
        return md.ToString();
    }
}
