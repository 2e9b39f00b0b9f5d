using System.Globalization;
using System.Text;
using System.Text.Json;
using FraudGateway.Model;
using FraudGateway.Trainer.Data;
using FraudGateway.Trainer.Evaluation;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Commands;

public sealed record EvaluationReport(
    string ModelVersion,
    int Rows,
    int Positives,
    int Negatives,
    double AucRoc,
    double AucPr,
    int AllRows,
    double AllRowsAucRoc,
    double ChallengeThreshold,
    double BlockThreshold,
    IReadOnlyList<ThresholdMetrics> Thresholds,
    IReadOnlyList<(string Scenario, bool Abusive, int Rows, double AtChallenge, double AtBlock)> Scenarios,
    IReadOnlyList<(string Family, int Rows, double FalsePositiveRateAtBlock, double FalsePositiveRateAtChallenge)> BenignFamilies,
    IReadOnlyList<(string Feature, double AucDrop)> PermutationImportance,
    RealDataReport? RealData);

// What the real-data checks need: the user-agent sources and the captured header sets.
public sealed record RealDataInputs(IReadOnlyList<UserAgentSource> Sources, CapturedHeaderCorpus Headers);

// Evaluation: first on real data (RealDataEvaluation: invariance over a week of real browser first logins, real
// bot and browser user agents from held-out sources under real header sets), then on held-out simulated traffic
// (ranking metrics, precision/recall/F1/FPR at several thresholds, confusion matrices at the challenge and block
// thresholds, per-scenario and per-browser-family rates, permutation feature importance).
public static class ModelEvaluator
{
    private static readonly double[] FixedThresholds = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99];

    public static EvaluationReport Evaluate(RiskModel model, IReadOnlyList<LoadedRecord> records, RealDataInputs? realData, FeatureExtractor extractor,
        double challenge, double block, int seed, IProgress<string> progress)
    {
        // Ranking metrics are of the rows whose client is visible to the model; attacks by a script-driven real
        // browser (no client evidence by construction) appear in the per-scenario table and in AllRowsAucRoc.
        var allRows = records.Where(r => r.Label is not null).ToList();
        progress.Report($"scoring {allRows.Count} rows");
        var allScores = allRows.Select(r => model.Score(r.Features)).ToList();
        var allAuc = BinaryMetrics.AucRoc(allScores, allRows.Select(r => r.Label == true).ToList());
        var visible = Enumerable.Range(0, allRows.Count).Where(i => !SimulatedRequest.IsBrowserDriven(allRows[i].Scenario)).ToList();
        var rows = visible.Select(i => allRows[i]).ToList();
        var labels = rows.Select(r => r.Label == true).ToList();
        if (!labels.Contains(true) || !labels.Contains(false))
        {
            throw new TrainerException("The evaluation data needs labelled rows of both classes.");
        }

        var scores = visible.Select(i => allScores[i]).ToList();
        var thresholds = FixedThresholds.Append(challenge).Append(block).Distinct().Order().Select(t => BinaryMetrics.AtThreshold(scores, labels, t)).ToList();

        var scenarios = allRows.Select((r, i) => (r, i)).GroupBy(x => (x.r.Scenario ?? "(none)", x.r.Label == true)).OrderBy(g => g.Key.Item2).ThenBy(g => g.Key.Item1)
            .Select(g => (g.Key.Item1, g.Key.Item2, g.Count(), g.Count(x => allScores[x.i] >= challenge) / (double)g.Count(), g.Count(x => allScores[x.i] >= block) / (double)g.Count()))
            .ToList();

        var families = rows.Select((r, i) => (r, i)).Where(x => x.r.Label == false && x.r.UserAgent is not null)
            .GroupBy(x => UserAgentAnalyzer.Analyze(x.r.UserAgent).Family.ToString()).OrderByDescending(g => g.Count())
            .Select(g => (g.Key, g.Count(), g.Count(x => scores[x.i] >= block) / (double)g.Count(), g.Count(x => scores[x.i] >= challenge) / (double)g.Count()))
            .ToList();

        progress.Report("permutation feature importance");
        var importance = PermutationImportance(model, rows, labels, seed, progress);

        var real = realData is null ? null : RealDataEvaluation.Run(model, extractor, realData.Sources, realData.Headers, challenge, block, progress);
        return new EvaluationReport(model.Version, rows.Count, labels.Count(l => l), labels.Count(l => !l), BinaryMetrics.AucRoc(scores, labels), BinaryMetrics.AucPr(scores, labels),
            allRows.Count, allAuc, challenge, block, thresholds, scenarios, families, importance, real);
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
        allRows = r.AllRows,
        allRowsAucRoc = r.AllRowsAucRoc,
        challengeThreshold = r.ChallengeThreshold,
        blockThreshold = r.BlockThreshold,
        thresholds = r.Thresholds.Select(t => new { threshold = t.Threshold, precision = t.Precision, recall = t.Recall, f1 = t.F1, falsePositiveRate = t.FalsePositiveRate, tp = t.TruePositives, fp = t.FalsePositives, tn = t.TrueNegatives, fn = t.FalseNegatives }),
        scenarios = r.Scenarios.Select(s => new { scenario = s.Scenario, abusive = s.Abusive, rows = s.Rows, shareAtChallenge = s.AtChallenge, shareAtBlock = s.AtBlock }),
        benignFamilies = r.BenignFamilies.Select(f => new { family = f.Family, rows = f.Rows, falsePositiveRateAtBlock = f.FalsePositiveRateAtBlock, falsePositiveRateAtChallenge = f.FalsePositiveRateAtChallenge }),
        permutationImportance = r.PermutationImportance.Select(p => new { feature = p.Feature, aucDrop = p.AucDrop }),
        realData = r.RealData is null ? null : new
        {
            browserHeaders = r.RealData.BrowserHeaders,
            plainHeaders = r.RealData.PlainHeaders,
            invariance = r.RealData.Invariance.Select(i => new { variant = i.Variant, agents = i.Agents, instants = i.Instants, scored = i.Scored, blocked = i.Blocked, challenged = i.Challenged, worstHour = i.WorstHour, worstHourChallengeRate = i.WorstHourChallengeRate, maxScore = i.MaxScore, worstAgent = i.WorstAgent }),
            behaviours = r.RealData.Behaviours.Select(b => new { behaviour = b.Name, edge = b.Edge, requests = b.Requests, challenged = b.Challenged, blocked = b.Blocked }),
            userAgentSets = r.RealData.UserAgentSets.Select(u => new { source = u.Source, bots = u.IsBot, heldOut = u.HeldOut, headerSet = u.HeaderSet, agents = u.Agents, atOrAboveChallenge = u.AtChallenge, atOrAboveBlock = u.AtBlock, challengeRate = u.ChallengeRate, blockRate = u.BlockRate, isbotRate = u.IsbotRate, ourTokensRate = u.HandWrittenRate }),
        },
    }, IndentedJson);

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static void AppendRealData(StringBuilder md, RealDataReport real, double challenge, double block)
    {
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("## (a) Invariance: a person's clock and missing signals never raise a score");
        md.AppendLine();
        md.AppendLine(c, $"Every real browser user agent of data/corpora and data/heldout sent as a person's first login (residential address, no previous");
        md.AppendLine(c, $"request, no failures, every counter 1, a form filled in 8 s) with a real browser's header set ({real.BrowserHeaders}), every");
        md.AppendLine(c, $"{RealDataEvaluation.MinutesBetweenInstants} minutes of a week from {RealDataEvaluation.WeekStart:yyyy-MM-dd} UTC. Thresholds: challenge {challenge:0.####}, block {block:0.####}.");
        md.AppendLine();
        md.AppendLine("| variant | user agents | requests | blocked | challenged | worst UTC hour | its challenge rate | highest score |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var i in real.Invariance)
        {
            md.AppendLine(c, $"| {i.Variant} | {i.Agents} | {i.Scored} | **{i.Blocked}** | {i.Challenged} | {i.WorstHour:00}:00 | **{i.WorstHourChallengeRate:P2}** | {i.MaxScore:0.0000} |");
        }

        md.AppendLine();
        md.AppendLine("## (b) Real user agents, bots and browsers under the same header sets");
        md.AppendLine();
        md.AppendLine(c, $"Each user agent once, as the first login above (all signals), under the browser header set and under a plain client's ({real.PlainHeaders}).");
        md.AppendLine("Held-out sources were never used in training. isbot: the share isbot's patterns flag (one of the model's features);");
        md.AppendLine("our tokens: the share our hand-written automation tokens, bot words and URL check flag, which isbot outperforms.");
        md.AppendLine();
        md.AppendLine("| source | kind | held out | header set | user agents | at/above challenge | at/above block | isbot | our tokens |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var u in real.UserAgentSets)
        {
            md.AppendLine(c, $"| {u.Source} | {(u.IsBot ? "bots" : "browsers")} | {(u.HeldOut ? "yes" : "no")} | {u.HeaderSet} | {u.Agents} | {u.ChallengeRate:P2} | {u.BlockRate:P2} | {u.IsbotRate:P2} | {u.HandWrittenRate:P2} |");
        }

        md.AppendLine();
        md.AppendLine("## (d) Behaviour battery: what people ordinarily do, and its edges");
        md.AppendLine();
        md.AppendLine(c, $"Every held-out real browser user agent ({real.BehaviourAgents}, never trained on) under the four header sets real browsers sent on this");
        md.AppendLine("machine (Chromium and Firefox, fetch() with JSON and an HTML form post), each behaviour's counters, timing and form fill time as the");
        md.AppendLine("gateway counts them; judged by the ladder's model rule (a block needs two independent signal groups). Targets: an ordinary");
        md.AppendLine("behaviour 0 blocked and at most 1 % challenged; an edge 0 blocked. The policy's own limits judge behaviour (see docs/risk-scoring.md,");
        md.AppendLine("\"Risk scoring\"): this table is the model's share of the answer.");
        md.AppendLine();
        md.AppendLine("| behaviour | kind | requests | challenged | blocked |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var b in real.Behaviours)
        {
            md.AppendLine(c, $"| {b.Name} | {(b.Edge ? "edge" : "ordinary")} | {b.Requests} | {b.ChallengeRate:P2} | **{b.Blocked}** |");
        }

        md.AppendLine();
    }

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
        md.AppendLine("Scores one request to a login, signup or contact-form endpoint with the probability that its client is automation, from");
        md.AppendLine("what the client is: its user agent (structure, isbot's bot patterns, automation and headless tokens), its header set against");
        md.AppendLine("what that browser sends (Accept*, Sec-Fetch-*, client hints that contradict the user agent), the operator's datacenter list");
        md.AppendLine("and the contact form's content (links, a disposable e-mail domain). Every score comes with the three observed, unusual");
        md.AppendLine("features that pushed it up most (ML.NET feature contributions; a signal the request did not have, or an ordinary browser's");
        md.AppendLine("value, is never named). Feature list and groups: `src/FraudGateway.Model/FeatureSchema.cs`.");
        md.AppendLine();
        md.AppendLine("**Behaviour is not model evidence.** Timing, form fill time, counts of requests, accounts, addresses and failures, the");
        md.AppendLine("request's shape (method, content type, body length, address family), the clock, and the facts that name one browser rather");
        md.AppendLine("than tell a script from a browser (user agent length, version, staleness) are held constant in training, so no tree splits");
        md.AppendLine("on them. Why: a simulator cannot know what people do (a password manager submits in half a second, a phone changes address,");
        md.AppendLine("an office shares one), and a tree ensemble turns each of its habits into unbounded evidence against the people who differ.");
        md.AppendLine("Behaviour is judged by the policy's explicit limits instead, whose thresholds the site sets and reads (a limit refuses at its");
        md.AppendLine("quota), and a distributed run by the site-wide defense. **A block needs two independent signals**: the score at the");
        md.AppendLine("block threshold and at least two signal groups (user agent, header set, network, content) that each earn a challenge on");
        md.AppendLine("their own (`IndependentEvidence`); one group alone, however sure, is a challenge. Tables (a), (b) and (d) count blocks by");
        md.AppendLine("that rule; table (c) ranks raw scores.");
        md.AppendLine();
        md.AppendLine("## Data provenance");
        md.AppendLine();
        md.AppendLine(c, $"Training: {string.Join(", ", metadata.TrainingData)} ({metadata.TrainingRows} rows fitted; a seeded 20% of the labelled rows chose the thresholds).");
        md.AppendLine(c, $"Trainer: {metadata.Trainer}.");
        md.AppendLine(c, $"Evaluation: {evaluationSource} — a different seed, and half of its browser traffic from families held out of training");
        md.AppendLine(c, $"({string.Join(", ", UserAgentCorpus.HoldoutFamilies)}), with crawlers held out of training (every fourth crawler of the corpus).");
        md.AppendLine();
        md.AppendLine("All rows are **simulated** by `fraudgateway-trainer simulate` (src/FraudGateway.Trainer/Simulation): people logging in (typos,");
        md.AppendLine("forgotten passwords, offices and mobile carriers sharing addresses, VPN/Tor/cloud-desktop users), writing to the contact form and");
        md.AppendLine("signing up; and credential stuffing from rotating IPv4 and from one IPv6 /64, brute force on one account, contact-form spam");
        md.AppendLine("bursts, low-and-slow stuffing under naive limits, crawlers and libraries (with their own headers and behind a copied browser");
        md.AppendLine("header set), headless browsers and signup abuse. The parts are real: browsers from the `user-agents` npm package (BSD-2-Clause,");
        md.AppendLine("weighted as in the corpus) and crawlers from `crawler-user-agents` (MIT), both in data/corpora with their licences; every header");
        md.AppendLine("set is one that real client software sent on this machine (data/client-headers/captured.jsonl: curl, wget, Python, Node, Go,");
        md.AppendLine(".NET, Java, Playwright, Chromium and Firefox; scripts/capture-client-headers.sh). Datacenter/Tor/VPN ranges are synthetic");
        md.AppendLine("(data/sim-ip-lists), not real provider lists. Because the simulation encodes our assumptions, the model is judged first on");
        md.AppendLine("real data below, including user-agent sources it never saw (data/heldout).");
        md.AppendLine();
        if (r.RealData is { } real)
        {
            AppendRealData(md, real, r.ChallengeThreshold, r.BlockThreshold);
        }

        md.AppendLine("## (c) Simulated held-out metrics");
        md.AppendLine();
        md.AppendLine(c, $"{r.Rows} rows ({r.Positives} abusive, {r.Negatives} benign). **AUC-ROC {r.AucRoc:0.0000}**, AUC-PR {r.AucPr:0.0000}.");
        md.AppendLine();
        md.AppendLine(c, $"These are the rows whose client the model can see. The held-out set also has {r.AllRows - r.Rows} attack rows sent with a real browser's");
        md.AppendLine(c, $"user agent and its full header set (a script-driven browser, or a script that copied every header; scenarios ending in");
        md.AppendLine(c, $"`{SimulatedRequest.BrowserDrivenSuffix}`); with them, AUC-ROC is {r.AllRowsAucRoc:0.0000}.");
        md.AppendLine("Nothing the client sends tells those from a person: the policy's limits and the challenge ladder answer them, not this model.");
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
        md.AppendLine("- Trained on simulated traffic built on real parts. Real attacks differ; retrain on your own labelled decision records (docs/training-data.md).");
        md.AppendLine("- A bot is recognised by its user agent and its header set. A script that drives a real browser, or copies a browser's");
        md.AppendLine("  user agent and every header it sends, is invisible to this model by construction (the `:browser-driven` scenarios): the");
        md.AppendLine("  policy's limits, the proof-of-work and captcha rungs and, for distributed runs, the site-wide defense answer it.");
        md.AppendLine("- No WebKit browser could be captured on this Linux machine: Safari and iOS traffic is simulated with Firefox's header set");
        md.AppendLine("  (the same on every field the model reads but Accept-Encoding).");
        md.AppendLine("- Native mobile apps and API clients with library user agents (okhttp, CFNetwork) are not in the benign data: behind an API that");
        md.AppendLine("  serves apps, run the model in shadow and retrain before enforcing.");
        md.AppendLine("- The datacenter feature is only as good as the operator's list; a list that is not configured is unknown (-1), never");
        md.AppendLine("  evidence; the shipped demo configuration sets none. Tor and VPN lists are extracted but not evidence.");
        md.AppendLine("- Browser version staleness is measured against the newest versions in the corpus (user-agents@2.1.198); newer versions");
        md.AppendLine("  count as current.");
        return md.ToString();
    }
}
