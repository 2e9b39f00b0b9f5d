using FraudGateway.Model;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Evaluation;

public sealed record BehaviourCase(string Name, bool Edge, Action<RequestFacts> Apply);

public sealed record BehaviourResult(string Name, bool Edge, int Requests, int Challenged, int Blocked)
{
    public double ChallengeRate => Requests == 0 ? 0 : (double)Challenged / Requests;
}

// What people ordinarily do, and its edges, as the gateway would see it: every held-out real browser user agent (never
// trained on) under the header sets real browsers sent on this machine (Chromium's and Firefox's fetch() with a JSON
// body, and their HTML form post), with the behaviour's counters, timing and form fill time set as the gateway would
// count them. Each request is judged by the ladder's model rule (IndependentEvidence). Targets: an ordinary behaviour
// is never blocked and challenged at most 1 %; an edge is never blocked.
public static class BehaviourBattery
{
    public static readonly IReadOnlyList<BehaviourCase> Cases =
    [
        new("first login", false, _ => { }),
        new("password manager fills and submits in 0.5 s", false, f => f.FormFillSeconds = 0.5),
        new("password manager fills and submits in 1.5 s", false, f => f.FormFillSeconds = 1.5),
        new("slow typist (form open 4 minutes)", false, f => f.FormFillSeconds = 240),
        new("no form token", false, f => f.FormFillSeconds = -1),
        new("no Accept-Encoding", false, f => f.AcceptEncoding = null),
        new("no Accept-Language", false, f => f.AcceptLanguage = null),
        new("no Origin / Referer", false, _ => { }),
        new("3 addresses for the account this hour", false, f => f.SetCounter(FeatureSchema.DistinctIpsPerAccount, 3)),
        new("2 typos, then the right password", false, f => Retry(f, failures: 2)),
        new("household: 3 accounts on one address", false, f => Shared(f, accounts: 3, logins: 5, prefixAccounts: 3)),
        new("5 addresses for the account this hour", true, f => f.SetCounter(FeatureSchema.DistinctIpsPerAccount, 5)),
        new("3 typos", true, f => Retry(f, failures: 3)),
        new("office NAT: 15 accounts on one address", true, f => Shared(f, accounts: 15, logins: 25, prefixAccounts: 15)),
        new("carrier /24: 40 accounts", true, f => Shared(f, accounts: 2, logins: 3, prefixAccounts: 40)),
        new("NAT: 300 accounts, 1,000 logins an hour", true, f => Shared(f, accounts: 300, logins: 1000, prefixAccounts: 300)),
    ];

    public static IReadOnlyList<BehaviourResult> Run(RiskModel model, FeatureExtractor extractor, IReadOnlyList<string> agents, CapturedHeaderCorpus headers,
        double challenge, double block)
    {
        var sets = new[]
        {
            (headers.Browser(BrowserEngine.Chromium, "fetch"), "application/json"),
            (headers.Browser(BrowserEngine.Chromium, "form"), "application/x-www-form-urlencoded"),
            (headers.Browser(BrowserEngine.Gecko, "fetch"), "application/json"),
            (headers.Browser(BrowserEngine.Gecko, "form"), "application/x-www-form-urlencoded"),
        };
        var vector = new float[FeatureSchema.Count];
        var results = new List<BehaviourResult>();
        foreach (var behaviour in Cases)
        {
            int requests = 0, challenged = 0, blocked = 0;
            foreach (var agent in agents)
            {
                foreach (var (set, contentType) in sets)
                {
                    // A person's first login this hour from home (every counter as the gateway counts the request
                    // itself, a form filled in 8 s), then the behaviour.
                    var facts = RealDataEvaluation.FirstLogin(agent, set, RealDataEvaluation.WeekStart.AddHours(14), "all signals");
                    facts.ContentType = contentType;
                    behaviour.Apply(facts);
                    extractor.Extract(facts, vector);
                    var verdict = IndependentEvidence.Decide(model, extractor, facts, model.Score(vector), challenge, block, out _);
                    requests++;
                    challenged += verdict == ModelVerdict.Challenge ? 1 : 0;
                    blocked += verdict == ModelVerdict.Block ? 1 : 0;
                }
            }

            results.Add(new BehaviourResult(behaviour.Name, behaviour.Edge, requests, challenged, blocked));
        }

        return results;
    }

    private static void Retry(RequestFacts f, int failures)
    {
        f.SetCounter(FeatureSchema.FailuresPerAccount, failures);
        f.SetCounter(FeatureSchema.FailuresPerIp, failures);
        f.SetCounter(FeatureSchema.RequestsPerIpMinute, failures + 1);
        f.SetCounter(FeatureSchema.RequestsPerIpHour, failures + 1);
        f.SecondsSincePrevious = 4;
        f.InterArrivalCv = 0.2;
        f.FormFillSeconds = 3;
    }

    private static void Shared(RequestFacts f, int accounts, int logins, int prefixAccounts)
    {
        f.SetCounter(FeatureSchema.DistinctAccountsPerIp, accounts);
        f.SetCounter(FeatureSchema.DistinctAccountsPerPrefix, prefixAccounts);
        f.SetCounter(FeatureSchema.RequestsPerIpHour, logins);
        f.SetCounter(FeatureSchema.RequestsPerIpMinute, Math.Max(1, logins / 40));
        f.SetCounter(FeatureSchema.RequestsPerPrefixMinute, Math.Max(1, logins / 40));
        f.SetCounter(FeatureSchema.FailuresPerIp, logins / 16);
        f.SecondsSincePrevious = 3600.0 / logins;
        f.InterArrivalCv = 1;
    }
}
