namespace FraudGateway.Model;

// A block by the model needs overwhelming evidence: a score at or above the block threshold AND at least two
// independent signal groups that would each earn a challenge alone. "Alone" is the same request with every other
// client group made ordinary: the user agent with the headers its browser sends (or, for a non-browser, a browser's
// minus Sec-Fetch-*, which such clients never send); the header set under a browser user agent (the request's own
// when it names a browser and is not itself evidence, so that Sec-Fetch-* and client hints are checked against it);
// the address, or the form's content, under an ordinary browser request. A bot's user agent with its library's
// headers is two signals (block); a bot's user agent behind a copied browser header set, a headless browser, a
// browser with an odd header set, or a datacenter address alone is one (challenge): a person whose client is odd in
// one way can pass a challenge, a script rarely does.
//
// The gateway and the trainer's evaluation decide with this one rule. It costs up to four more extractions and
// scores, only for a request already at the block threshold.
public static class IndependentEvidence
{
    public const int GroupsToBlock = 2;

    // A current Chrome on Windows and the headers Chromium's fetch() sends (data/client-headers/captured.jsonl).
    public const string OrdinaryUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

    private static readonly SignalGroup[] ClientGroups = [SignalGroup.UserAgent, SignalGroup.HeaderSet, SignalGroup.Network, SignalGroup.Content];

    // facts null (a record of features only): the groups cannot be told apart, so at most a challenge.
    public static ModelVerdict Decide(RiskModel model, FeatureExtractor extractor, RequestFacts? facts, float score, double challengeAt, double blockAt, out string evidence)
    {
        evidence = "";
        if (score < challengeAt)
        {
            return ModelVerdict.Allow;
        }

        if (score < blockAt || facts is null)
        {
            return ModelVerdict.Challenge;
        }

        Span<float> vector = stackalloc float[FeatureSchema.Count];
        var strong = new List<string>(ClientGroups.Length);
        var userAgentIsEvidence = false;
        foreach (var group in ClientGroups)
        {
            extractor.Extract(Alone(facts, group, userAgentIsEvidence), vector);
            if (model.Score(vector) >= challengeAt)
            {
                strong.Add(Name(group));
                userAgentIsEvidence |= group == SignalGroup.UserAgent;
            }
        }

        evidence = strong.Count == 0 ? "combined" : string.Join('+', strong);
        return strong.Count >= GroupsToBlock ? ModelVerdict.Block : ModelVerdict.Challenge;
    }

    // The request with every client group but this one made ordinary. Behaviour and request shape are kept (the
    // model does not read them). The header set is judged under the request's own user agent when that names a
    // browser and is not itself evidence (so Sec-Fetch-* and client hints are checked against the browser it claims),
    // otherwise under the ordinary one: a headless or bot user agent is not counted twice.
    public static RequestFacts Alone(RequestFacts facts, SignalGroup group, bool userAgentIsEvidence)
    {
        var ua = UserAgentAnalyzer.Analyze(facts.UserAgent);
        var browser = ua.Family != BrowserFamily.None;
        var alone = new RequestFacts
        {
            Method = facts.Method,
            ContentType = facts.ContentType,
            BodyLength = facts.BodyLength,
            Timestamp = facts.Timestamp,
            SecondsSincePrevious = facts.SecondsSincePrevious,
            InterArrivalCv = facts.InterArrivalCv,
            FormFillSeconds = facts.FormFillSeconds,
            UserAgent = OrdinaryUserAgent,
        };
        facts.Counters.CopyTo(alone.Counters, 0);
        OrdinaryHeaders(alone, secFetch: true);

        switch (group)
        {
            case SignalGroup.UserAgent:
                alone.UserAgent = facts.UserAgent;
                OrdinaryHeaders(alone, secFetch: FeatureExtractor.SecFetchExpected(ua));
                break;
            case SignalGroup.HeaderSet:
                alone.UserAgent = browser && !userAgentIsEvidence ? facts.UserAgent : OrdinaryUserAgent;
                alone.Accept = facts.Accept;
                alone.AcceptLanguage = facts.AcceptLanguage;
                alone.AcceptEncoding = facts.AcceptEncoding;
                alone.SecFetchSite = facts.SecFetchSite;
                alone.SecFetchMode = facts.SecFetchMode;
                alone.SecFetchDest = facts.SecFetchDest;
                alone.SecChUa = facts.SecChUa;
                break;
            case SignalGroup.Network:
                alone.Ip = facts.Ip;
                break;
            case SignalGroup.Content:
                alone.EmailDisposable = facts.EmailDisposable;
                alone.MessageLinks = facts.MessageLinks;
                break;
        }

        return alone;
    }

    private static void OrdinaryHeaders(RequestFacts facts, bool secFetch)
    {
        facts.Accept = "*/*";
        facts.AcceptLanguage = "en-US,en;q=0.9";
        facts.AcceptEncoding = "gzip, deflate, br, zstd";
        facts.SecFetchSite = secFetch ? "same-origin" : null;
        facts.SecFetchMode = secFetch ? "cors" : null;
        facts.SecFetchDest = secFetch ? "empty" : null;
        facts.SecChUa = null;
    }

    public static string Name(SignalGroup group) => group switch
    {
        SignalGroup.UserAgent => "user-agent",
        SignalGroup.HeaderSet => "header-set",
        SignalGroup.Network => "network",
        SignalGroup.Content => "content",
        SignalGroup.Behaviour => "behaviour",
        _ => "request-shape",
    };
}
