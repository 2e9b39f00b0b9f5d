using System.Net;
using FraudGateway.Model;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Evaluation;

public sealed record InvarianceResult(string Variant, int Agents, int Instants, long Scored, long Blocked, long Challenged, int WorstHour, double WorstHourChallengeRate, float MaxScore, string? WorstAgent);

// IsbotFlagged: how many isbot's patterns flag; HandWritten: how many our own user-agent tokens flag (automation/library
// tokens, bot words, a URL in the user agent), the rule set isbot replaced as the model's bot signal.
public sealed record UserAgentSetResult(string Source, bool IsBot, bool HeldOut, string HeaderSet, int Agents, int AtChallenge, int AtBlock, int IsbotFlagged, int HandWritten)
{
    public double ChallengeRate => Agents == 0 ? 0 : (double)AtChallenge / Agents;

    public double BlockRate => Agents == 0 ? 0 : (double)AtBlock / Agents;

    public double IsbotRate => Agents == 0 ? 0 : (double)IsbotFlagged / Agents;

    public double HandWrittenRate => Agents == 0 ? 0 : (double)HandWritten / Agents;
}

public sealed record RealDataReport(string BrowserHeaders, string PlainHeaders, IReadOnlyList<InvarianceResult> Invariance, IReadOnlyList<UserAgentSetResult> UserAgentSets,
    IReadOnlyList<BehaviourResult> Behaviours, int BehaviourAgents);

// The model judged on real user agents and real captured header sets, not on the simulator's traffic:
//  (a) invariance: every real browser user agent as a person's first login with a real browser's header set, every
//      20 minutes of a week, with all signals, without a form token and with the counters unknown: how many blocked,
//      the worst UTC hour's challenge rate. A person's clock or a missing signal must not raise a score.
//  (b) per user-agent source (held-out sources never trained on, training corpora for reference), bots and browsers
//      alike under the same browser header set and under a plain client's header set: share at or above challenge
//      and block, beside isbot's own verdict on the same user agents.
public static class RealDataEvaluation
{
    public static readonly DateTimeOffset WeekStart = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public const int MinutesBetweenInstants = 20;

    public static readonly string[] Variants = ["all signals", "no form token", "counters unknown"];

    private static readonly IPAddress ResidentialAddress = IPAddress.Parse("81.2.69.160");

    public static RealDataReport Run(RiskModel model, FeatureExtractor extractor, IReadOnlyList<UserAgentSource> sources, CapturedHeaderCorpus headers,
        double challenge, double block, IProgress<string> progress)
    {
        var browserSet = BrowserHeaderSet(headers);
        var plainSet = PlainHeaderSet(headers);
        var invariance = new List<InvarianceResult>();
        var browsers = sources.Where(s => !s.IsBot).SelectMany(s => s.Agents).Distinct().ToList();
        foreach (var variant in Variants)
        {
            progress.Report($"invariance '{variant}': {browsers.Count} real browser user agents x one week every {MinutesBetweenInstants} minutes");
            invariance.Add(Invariance(model, extractor, browsers, browserSet, variant, challenge, block));
        }

        var sets = new List<UserAgentSetResult>();
        var vector = new float[FeatureSchema.Count];
        foreach (var source in sources)
        {
            foreach (var (setName, set) in new[] { ("browser", browserSet), ("plain client", plainSet) })
            {
                int atChallenge = 0, atBlock = 0, isbot = 0, handWritten = 0;
                foreach (var agent in source.Agents)
                {
                    var facts = FirstLogin(agent, set, WeekStart.AddHours(14), "all signals");
                    extractor.Extract(facts, vector);
                    var verdict = IndependentEvidence.Decide(model, extractor, facts, model.Score(vector), challenge, block, out _);
                    atChallenge += verdict != ModelVerdict.Allow ? 1 : 0;
                    atBlock += verdict == ModelVerdict.Block ? 1 : 0;
                    var ua = UserAgentAnalyzer.Analyze(agent);
                    isbot += ua.KnownBot ? 1 : 0;
                    handWritten += ua.AutomationToken || ua.BotWord || ua.HasUrl ? 1 : 0;
                }

                sets.Add(new UserAgentSetResult(source.Name, source.IsBot, source.HeldOut, setName, source.Agents.Count, atChallenge, atBlock, isbot, handWritten));
            }
        }

        var heldOutBrowsers = sources.Where(s => !s.IsBot && s.HeldOut).SelectMany(s => s.Agents).Distinct().ToList();
        progress.Report($"behaviour battery: {BehaviourBattery.Cases.Count} behaviours x {heldOutBrowsers.Count} held-out browser user agents x 4 header sets");
        var behaviours = BehaviourBattery.Run(model, extractor, heldOutBrowsers, headers, challenge, block);
        return new RealDataReport(Describe(browserSet), Describe(plainSet), invariance, sets, behaviours, heldOutBrowsers.Count);
    }

    private static InvarianceResult Invariance(RiskModel model, FeatureExtractor extractor, List<string> agents, CapturedSet set, string variant, double challenge, double block)
    {
        var instants = 7 * 24 * 60 / MinutesBetweenInstants;
        var perHourScored = new long[24];
        var perHourChallenged = new long[24];
        long blocked = 0, challenged = 0;
        float max = 0;
        string? worst = null;
        var vector = new float[FeatureSchema.Count];
        foreach (var agent in agents)
        {
            for (var i = 0; i < instants; i++)
            {
                var time = WeekStart.AddMinutes(i * MinutesBetweenInstants);
                var facts = FirstLogin(agent, set, time, variant);
                extractor.Extract(facts, vector);
                var score = model.Score(vector);
                var hour = time.UtcDateTime.Hour;
                perHourScored[hour]++;
                if (score >= challenge)
                {
                    perHourChallenged[hour]++;
                    challenged++;
                }

                blocked += score >= block && IndependentEvidence.Decide(model, extractor, facts, score, challenge, block, out _) == ModelVerdict.Block ? 1 : 0;
                if (score > max)
                {
                    max = score;
                    worst = agent;
                }
            }
        }

        var worstHour = Enumerable.Range(0, 24).MaxBy(h => (double)perHourChallenged[h] / Math.Max(1, perHourScored[h]));
        return new InvarianceResult(variant, agents.Count, instants, perHourScored.Sum(), blocked, challenged, worstHour,
            (double)perHourChallenged[worstHour] / Math.Max(1, perHourScored[worstHour]), max, worst);
    }

    // A person's first login: a residential address, nothing seen before (no previous request, no failures), every
    // counter at 1, a form filled in 8 s; "no form token" leaves the fill time unknown, "counters unknown" every counter.
    public static RequestFacts FirstLogin(string userAgent, CapturedSet set, DateTimeOffset time, string variant)
    {
        var facts = new RequestFacts
        {
            Ip = ResidentialAddress,
            UserAgent = userAgent,
            Method = "POST",
            Accept = set["Accept"],
            AcceptLanguage = set["Accept-Language"],
            AcceptEncoding = set["Accept-Encoding"],
            SecFetchSite = set["Sec-Fetch-Site"],
            SecFetchMode = set["Sec-Fetch-Mode"],
            SecFetchDest = set["Sec-Fetch-Dest"],
            ContentType = "application/json",
            BodyLength = 55,
            Timestamp = time,
            FormFillSeconds = variant == "no form token" ? -1 : 8,
        };
        if (variant != "counters unknown")
        {
            foreach (var slot in FeatureSchema.CounterSlots.Values)
            {
                facts.SetCounter(slot, slot is FeatureSchema.FailuresPerAccount or FeatureSchema.FailuresPerIp ? 0 : 1);
            }
        }

        return facts;
    }

    // Chromium's fetch() as captured, without client hints (a site on plain HTTP gets none; Firefox and Safari never
    // send them): the set every current browser engine sends.
    public static CapturedSet BrowserHeaderSet(CapturedHeaderCorpus headers) => headers.Browser(BrowserEngine.Chromium, "fetch");

    // curl's JSON POST as captured: Accept and nothing else a browser sends.
    public static CapturedSet PlainHeaderSet(CapturedHeaderCorpus headers) =>
        headers.Tools.FirstOrDefault(t => t.Client == "curl" && t.Request == "post-json") ?? headers.Tools[0];

    private static readonly string[] DescribedHeaders = ["Accept", "Accept-Language", "Accept-Encoding", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest"];

    private static string Describe(CapturedSet set) =>
        $"{set.Client} {set.Version} {set.Request}: " + string.Join(", ", DescribedHeaders.Where(h => set[h] is not null).Select(h => $"{h}: {set[h]}"));
}
