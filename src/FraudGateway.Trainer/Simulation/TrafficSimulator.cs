using System.Net;
using FraudGateway.Model;

namespace FraudGateway.Trainer.Simulation;

// Generates labelled traffic on the login, signup and contact-form endpoints: people (with typos, forgotten
// passwords, shared office and mobile-carrier addresses, VPNs) and attacks (credential stuffing from rotating
// IPv4 and from one IPv6 /64, brute force on one account, contact-form spam bursts, low-and-slow stuffing under
// naive limits, crawlers, headless browsers, signup abuse). Every header set comes from real client software
// (HeaderFactory over the captured corpus); bots, crawlers and libraries appear both with their own headers and
// behind a copied browser header set. Seeded: the same options give the same requests.
// No clock is a feature (the model never sees the hour), so people's daytime and attackers' any-time moments only
// shape the timeline's inter-arrival facts.
public sealed partial class TrafficSimulator
{
    private static readonly string[] ScriptAgents =
    [
        "python-requests/2.31.0", "python-requests/2.32.3", "curl/8.5.0", "curl/7.88.1", "Go-http-client/1.1", "Go-http-client/2.0",
        "okhttp/4.12.0", "okhttp/3.14.9", "axios/1.6.8", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "Python-urllib/3.11",
        "aiohttp/3.9.5", "Java/17.0.9", "Apache-HttpClient/4.5.14 (Java/17.0.9)", "PostmanRuntime/7.37.3", "Wget/1.21.4",
        "python-httpx/0.27.0", "undici", "Ruby", "Mozilla/5.0", "", "-", "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
        "Scrapy/2.11.2 (+https://scrapy.org)", "libwww-perl/6.77", "RestSharp/110.2.0.0", "Dart/3.3 (dart:io)", "reqwest/0.12",
    ];

    private readonly SimulationOptions _options;
    private readonly UserAgentCorpus _corpus;
    private readonly HeaderFactory _headers;
    private readonly AddressSpace _addresses;
    private readonly Random _random;
    private readonly WeightedPicker<BrowserAgent> _benignAgents;
    private readonly WeightedPicker<BrowserAgent> _spoofAgents;
    private readonly WeightedPicker<BrowserAgent> _popularAgents;
    private readonly WeightedPicker<CrawlerAgent> _crawlers;
    private readonly List<SimulatedRequest> _requests = [];
    private int _accountSequence;

    public TrafficSimulator(SimulationOptions options, UserAgentCorpus corpus, HeaderFactory headers, AddressSpace addresses)
    {
        _options = options;
        _corpus = corpus;
        _headers = headers;
        _addresses = addresses;
        _random = new Random(options.Seed);
        var trainBrowsers = corpus.Browsers.Where(b => !UserAgentCorpus.HoldoutFamilies.Contains(b.Family)).ToList();
        var holdoutBrowsers = corpus.Browsers.Where(b => UserAgentCorpus.HoldoutFamilies.Contains(b.Family)).ToList();
        _benignAgents = options.Split switch
        {
            CorpusSplit.Train => new WeightedPicker<BrowserAgent>(trainBrowsers, b => b.Weight),
            // Half of the held-out browser traffic comes from families the model never saw.
            CorpusSplit.Holdout => new WeightedPicker<BrowserAgent>(corpus.Browsers, b =>
                UserAgentCorpus.HoldoutFamilies.Contains(b.Family) ? b.Weight / holdoutBrowsers.Sum(h => h.Weight) : b.Weight / trainBrowsers.Sum(t => t.Weight)),
            _ => new WeightedPicker<BrowserAgent>(corpus.Browsers, b => b.Weight),
        };

        // Attackers copy user agents from anywhere in the corpus, uniformly (old and rare ones too), or, as careful
        // ones do, a popular current one.
        _spoofAgents = new WeightedPicker<BrowserAgent>(options.Split == CorpusSplit.Train ? trainBrowsers : corpus.Browsers, _ => 1);
        _popularAgents = new WeightedPicker<BrowserAgent>(options.Split == CorpusSplit.Train ? trainBrowsers : corpus.Browsers, b => b.Weight);
        _crawlers = new WeightedPicker<CrawlerAgent>(
            corpus.Crawlers.Where(c => options.Split switch { CorpusSplit.Train => !c.HeldOut, CorpusSplit.Holdout => c.HeldOut, _ => true }),
            _ => 1);
    }

    public IReadOnlyList<SimulatedRequest> Generate(IProgress<string>? progress = null)
    {
        int Scaled(int n) => Math.Max(1, (int)Math.Round(n * _options.Scale));

        progress?.Report("people logging in");
        var sharedOffices = Enumerable.Range(0, 200).Select(_ => _addresses.Residential4(_random)).ToArray();
        for (var i = 0; i < Scaled(6000); i++)
        {
            BenignUser(sharedOffices);
        }

        var carrier = Enumerable.Range(0, 30).Select(_ => _addresses.Residential4(_random)).ToArray();
        for (var i = 0; i < Scaled(600); i++)
        {
            BenignCarrierUser(carrier);
        }

        progress?.Report("people writing to the contact form and signing up");
        for (var i = 0; i < Scaled(1500); i++)
        {
            BenignContact();
        }

        for (var i = 0; i < Scaled(800); i++)
        {
            BenignSignup();
        }

        progress?.Report("attacks");
        for (var i = 0; i < Scaled(3); i++)
        {
            StuffingRotatingIpv4();
        }

        for (var i = 0; i < Scaled(2); i++)
        {
            StuffingOneIpv6Prefix();
        }

        for (var i = 0; i < Scaled(15); i++)
        {
            BruteForce();
        }

        for (var i = 0; i < Scaled(20); i++)
        {
            ContactSpamBurst();
        }

        for (var i = 0; i < Scaled(10); i++)
        {
            LowAndSlow();
        }

        for (var i = 0; i < Scaled(600); i++)
        {
            Crawler();
        }

        for (var i = 0; i < Scaled(4); i++)
        {
            HeadlessStuffing();
        }

        for (var i = 0; i < Scaled(5); i++)
        {
            SignupAbuse();
        }

        progress?.Report($"{_requests.Count} requests generated");
        return _requests;
    }

    // ---- people ----

    // Some people sit behind a proxy or privacy tool that strips Sec-Fetch-* and client hints; some browsers (a
    // privacy setting, an embedded webview, a proxy) send no Accept-Language or no Accept-Encoding.
    private ClientHeaders PersonHeaders(string agent, bool jsonBody, bool stripped)
    {
        var headers = _headers.Browser(agent, _random, jsonBody);
        headers = stripped ? headers with { SecFetchSite = null, SecFetchMode = null, SecFetchDest = null, SecChUa = null } : headers;
        headers = _random.NextDouble() < 0.03 ? headers with { AcceptLanguage = null } : headers;
        return _random.NextDouble() < 0.03 ? headers with { AcceptEncoding = null } : headers;
    }

    private void BenignUser(IPAddress[] sharedOffices)
    {
        var agent = _benignAgents.Pick(_random).UserAgent;
        var stripped = _random.NextDouble() < 0.05;
        var home = HomeAddress(sharedOffices);
        var account = NewAccount();
        var sessions = 1 + _random.Poisson(1.2);
        var forgetful = _random.NextDouble() < 0.03;
        for (var s = 0; s < sessions; s++)
        {
            var time = DaytimeMoment();
            var ip = home();
            var failures = forgetful && s == 0 ? _random.Next(4, 8) : _random.NextDouble() < 0.12 ? _random.Next(1, 3) : 0;
            for (var attempt = 0; attempt <= failures; attempt++)
            {
                Add(time, ip, Endpoint.Login, PersonHeaders(agent, _random.NextDouble() < 0.7, stripped), account,
                    fails: attempt < failures, abusive: false, "benign-login", bodyLength: _random.Next(40, 90));
                time = time.AddSeconds(4 + (_random.NextDouble() * 40));
            }
        }
    }

    // Mobile users behind a carrier's few shared addresses (CGNAT): many accounts per address, all benign.
    private void BenignCarrierUser(IPAddress[] carrier)
    {
        var agent = PickMobileAgent();
        var account = NewAccount();
        for (var s = 0; s < 1 + _random.Poisson(1.5); s++)
        {
            var fails = _random.NextDouble() < 0.1;
            var time = DaytimeMoment();
            var ip = carrier[_random.Next(carrier.Length)];
            Add(time, ip, Endpoint.Login, _headers.Browser(agent, _random, jsonBody: true), account, fails, false, "benign-carrier-nat", _random.Next(40, 90));
            if (fails)
            {
                Add(time.AddSeconds(6 + (_random.NextDouble() * 30)), ip, Endpoint.Login, _headers.Browser(agent, _random, jsonBody: true), account, false, false, "benign-carrier-nat", _random.Next(40, 90));
            }
        }
    }

    private void BenignContact()
    {
        var agent = _benignAgents.Pick(_random).UserAgent;
        var links = _random.NextDouble() switch { < 0.8 => 0, < 0.95 => 1, _ => _random.Next(2, 4) };
        Add(DaytimeMoment(), HomeAddress([])(), Endpoint.Contact, PersonHeaders(agent, _random.NextDouble() < 0.5, _random.NextDouble() < 0.05), null, false, false,
            "benign-contact", _random.Next(150, 3000), disposable: _random.NextDouble() < 0.03 ? 1 : 0, links: links,
            fill: Math.Max(4, Math.Exp(_random.Normal(Math.Log(60), 0.8))));
    }

    private void BenignSignup()
    {
        var agent = _benignAgents.Pick(_random).UserAgent;
        Add(DaytimeMoment(), HomeAddress([])(), Endpoint.Signup, _headers.Browser(agent, _random, jsonBody: true), NewAccount(), false, false,
            "benign-signup", _random.Next(80, 200), disposable: _random.NextDouble() < 0.04 ? 1 : 0, fill: Math.Max(6, Math.Exp(_random.Normal(Math.Log(45), 0.6))));
    }

    // ---- attacks ----

    private ClientHeaders AttackerHeaders(double completeness) => _random.NextDouble() switch
    {
        < 0.25 => ScriptHeaders(),
        < 0.4 => _headers.BrowserHeadersUnder(BotAgent(), _random, jsonBody: true),
        < 0.75 => _headers.Spoofed(SpoofAgent(), _random, jsonBody: true, completeness),
        _ => _headers.Browser(SpoofAgent(), _random, jsonBody: true) with { BrowserDriven = true },
    };

    // A captured tool as it is, or with another library's user agent.
    private ClientHeaders ScriptHeaders() =>
        _random.NextDouble() < 0.5 ? _headers.Tool(_random) : _headers.Tool(_random, ScriptAgents[_random.Next(ScriptAgents.Length)]);

    // A crawler of this split or a library / tool user agent (the captured tools' own, or the list above).
    private string BotAgent() => _random.NextDouble() switch
    {
        < 0.5 => _crawlers.Pick(_random).UserAgent,
        < 0.75 => ScriptAgents[_random.Next(ScriptAgents.Length)],
        _ => _headers.Corpus.Tools[_random.Next(_headers.Corpus.Tools.Count)]["User-Agent"] ?? "",
    };

    private string SpoofAgent() => (_random.NextDouble() < 0.5 ? _popularAgents : _spoofAgents).Pick(_random).UserAgent;

    private static string Headless(string userAgent) =>
        userAgent.Contains("Chrome/", StringComparison.Ordinal) ? userAgent.Replace("Chrome/", "HeadlessChrome/", StringComparison.Ordinal)
            : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36";

    private string PickMobileAgent()
    {
        for (var i = 0; i < 50; i++)
        {
            var agent = _benignAgents.Pick(_random);
            if (agent.DeviceCategory == "mobile")
            {
                return agent.UserAgent;
            }
        }

        return _benignAgents.Pick(_random).UserAgent;
    }

    // Where a person connects from, session after session: home (IPv4 or an IPv6 /64 with changing interface
    // ids), an office shared with colleagues, a VPN, Tor or a cloud desktop.
    private Func<IPAddress> HomeAddress(IPAddress[] sharedOffices)
    {
        var roll = _random.NextDouble();
        if (roll < 0.04)
        {
            return () => _addresses.Vpn(_random);
        }

        if (roll < 0.045)
        {
            return () => _addresses.Tor(_random);
        }

        if (roll < 0.07)
        {
            var cloud = _addresses.Datacenter(_random);
            return () => cloud;
        }

        if (roll < 0.17 && sharedOffices.Length > 0)
        {
            var office = sharedOffices[_random.Next(sharedOffices.Length)];
            return () => office;
        }

        if (roll < 0.37)
        {
            var prefix = AddressSpace.Residential64(_random);
            return () => AddressSpace.InPrefix64(prefix, _random);
        }

        var home = _addresses.Residential4(_random);
        return () => home;
    }

    // People: mostly in their daytime, in one of several time zones.
    private DateTimeOffset DaytimeMoment()
    {
        var day = _random.Next(_options.Days);
        var zone = new[] { -8, -5, 0, 1, 3, 8, 9 }[_random.Next(7)];
        var localHour = Math.Clamp(_random.Normal(14, 4), 0, 23.99);
        var utcHours = ((localHour - zone) % 24 + 24) % 24;
        return _options.Start.AddDays(day).AddHours(utcHours);
    }

    private DateTimeOffset AnyMoment() => _options.Start.AddSeconds(_random.NextDouble() * _options.Days * 86400 * 0.9);

    private string NewAccount() => $"account-{_options.Seed}-{_accountSequence++}";

    private void Add(DateTimeOffset time, IPAddress ip, Endpoint endpoint, ClientHeaders headers, string? account, bool fails, bool abusive, string scenario,
        long bodyLength, int disposable = -1, int links = -1, double fill = -1) =>
        _requests.Add(new SimulatedRequest
        {
            Time = time,
            Ip = ip,
            Endpoint = endpoint,
            Headers = headers,
            Account = endpoint == Endpoint.Contact ? null : account,
            LoginFails = endpoint == Endpoint.Login && fails,
            EmailDisposable = endpoint == Endpoint.Login ? -1 : disposable,
            MessageLinks = endpoint == Endpoint.Contact ? links : -1,
            FormFillSeconds = endpoint == Endpoint.Login && fill < 0 ? LoginFill(abusive) : fill,
            BodyLength = headers.Method == "GET" ? 0 : bodyLength,
            Abusive = abusive,
            Scenario = abusive && headers.BrowserDriven ? scenario + SimulatedRequest.BrowserDrivenSuffix : scenario,
        });

    // Seconds between loading a login form and posting it (the form token's age). Every row has one: a deployment
    // without form tokens is the trainer's masking (UnknownSignalMasking), at the same rate for people and attackers.
    // People type (~9 s) or let a password manager fill in (1-3 s); scripts post at once, a stealth browser waits.
    private double LoginFill(bool abusive) => abusive
        ? _random.NextDouble() < 0.75 ? 0.1 + (_random.NextDouble() * 1.4) : 1 + (_random.NextDouble() * 9)
        : _random.NextDouble() < 0.15 ? 1 + (_random.NextDouble() * 2) : Math.Max(2, Math.Exp(_random.Normal(Math.Log(9), 0.6)));
}
