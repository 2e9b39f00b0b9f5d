namespace FraudGateway.Model;

// The model's feature vector: one fixed order, one name per slot. The gateway and the trainer both fill it with
// FeatureExtractor, and a model file records the schema version it was trained on; a model trained on another
// schema is refused at load (RiskModel.Load).
//
// A value of -1 in an optional slot (OptionalSlots) means "not known for this request": no counter mapped, no body
// inspected, no form token configured, first request seen, no address list configured. The trainer masks these slots
// to -1 at the same rates for both classes (ModelTrainer), so that "unknown" carries no evidence either way, and
// explanations never name one.
//
// Every slot belongs to one signal group (Groups). Only facts of the client groups (user agent, header set, address
// lists, message content; EvidenceSlots) are evidence for the model: they describe the client software and what it
// sends, which a person does not change by logging in from a phone or with a password manager. The behaviour and request-shape slots are
// still extracted (decision records, feature exports) but the trainer holds them constant, so the model never splits
// on them: behaviour is judged by the policy's explicit limits, whose thresholds the site sets (see the model card).
public static class FeatureSchema
{
    // Bump when a slot is added, removed, reordered or changes meaning.
    // 2: no absolute clock (hour_of_day, day_of_week gone: a person's normal hour is not evidence), no header count
    //    (what a deployment's proxies add is not the client's), ua_known_bot (isbot's patterns) added.
    // 3: behaviour and request shape are not model evidence (SignalGroup), address lists not configured are -1.
    public const int Version = 3;

    public const int UaMissing = 0;
    public const int UaLength = 1;
    public const int UaBrowserStructure = 2;
    public const int UaKnownBrowser = 3;
    public const int UaMajorVersion = 4;
    public const int UaVersionStaleness = 5;
    public const int UaMobile = 6;
    public const int UaAutomationToken = 7;
    public const int UaHeadless = 8;
    public const int UaBotWord = 9;
    public const int UaHasUrl = 10;
    public const int UaCharClassEntropy = 11;
    public const int UaNonPrintable = 12;
    public const int UaKnownBot = 13;
    public const int HeaderAccept = 14;
    public const int HeaderAcceptLanguage = 15;
    public const int HeaderAcceptEncoding = 16;
    public const int SecFetchCount = 17;
    public const int SecFetchExpected = 18;
    public const int SecFetchMismatch = 19;
    public const int ClientHintsPresent = 20;
    public const int ClientHintsMismatch = 21;
    public const int Method = 22;
    public const int ContentType = 23;
    public const int BodyLength = 24;
    public const int IpVersion = 25;
    public const int IpPrivate = 26;
    public const int IpDatacenter = 27;
    public const int IpTor = 28;
    public const int IpVpn = 29;
    public const int SecondsSincePrevious = 30;
    public const int InterArrivalCv = 31;
    public const int RequestsPerIpMinute = 32;
    public const int RequestsPerIpHour = 33;
    public const int RequestsPerPrefixMinute = 34;
    public const int DistinctAccountsPerIp = 35;
    public const int DistinctAccountsPerPrefix = 36;
    public const int FailuresPerAccount = 37;
    public const int FailuresPerIp = 38;
    public const int DistinctIpsPerAccount = 39;
    public const int EmailDisposable = 40;
    public const int MessageLinks = 41;
    public const int FormFillSeconds = 42;

    public const int Count = 43;

    public static readonly string[] Names =
    [
        "ua_missing", "ua_length", "ua_browser_structure", "ua_known_browser", "ua_major_version",
        "ua_version_staleness", "ua_mobile", "ua_automation_token", "ua_headless", "ua_bot_word", "ua_has_url",
        "ua_char_class_entropy", "ua_non_printable", "ua_known_bot", "header_accept", "header_accept_language",
        "header_accept_encoding", "sec_fetch_count", "sec_fetch_expected", "sec_fetch_mismatch", "client_hints_present",
        "client_hints_mismatch", "method", "content_type", "body_length", "ip_version", "ip_private", "ip_datacenter",
        "ip_tor", "ip_vpn", "seconds_since_previous", "inter_arrival_cv", "requests_per_ip_minute",
        "requests_per_ip_hour", "requests_per_prefix_minute", "distinct_accounts_per_ip",
        "distinct_accounts_per_prefix", "failures_per_account", "failures_per_ip", "distinct_ips_per_account",
        "email_disposable", "message_links", "form_fill_seconds",
    ];

    // The counter features and the names an operator maps rate limits to (Scoring:Counters in the gateway config,
    // "counters" in the JSONL schema).
    public static readonly IReadOnlyDictionary<string, int> CounterSlots = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["requestsPerIpMinute"] = RequestsPerIpMinute,
        ["requestsPerIpHour"] = RequestsPerIpHour,
        ["requestsPerPrefixMinute"] = RequestsPerPrefixMinute,
        ["distinctAccountsPerIp"] = DistinctAccountsPerIp,
        ["distinctAccountsPerPrefix"] = DistinctAccountsPerPrefix,
        ["failuresPerAccount"] = FailuresPerAccount,
        ["failuresPerIp"] = FailuresPerIp,
        ["distinctIpsPerAccount"] = DistinctIpsPerAccount,
    };

    // Signals a deployment may not provide, or a request may not have yet; -1 there is "unknown", not a value.
    public static readonly IReadOnlySet<int> OptionalSlots = new HashSet<int>(
    [
        BodyLength, IpDatacenter, IpTor, IpVpn, SecondsSincePrevious, InterArrivalCv, RequestsPerIpMinute, RequestsPerIpHour, RequestsPerPrefixMinute,
        DistinctAccountsPerIp, DistinctAccountsPerPrefix, FailuresPerAccount, FailuresPerIp, DistinctIpsPerAccount,
        EmailDisposable, MessageLinks, FormFillSeconds,
    ]);

    public static bool IsUnknown(int slot, float value) => value < 0 && OptionalSlots.Contains(slot);

    // The signal group of each slot, in slot order. Two slots of one group are one piece of evidence: a block needs
    // strong evidence from at least two groups (the gateway's ladder).
    public static readonly SignalGroup[] Groups = BuildGroups();

    // Slots the model may learn from: facts of the client groups that tell a script from a browser, not one browser
    // from another. Left out of the client groups: the user agent's length, version, staleness, character mix and
    // mobile flag and whether Sec-Fetch-* is expected of that version (they name which browser, and an old phone or
    // a desktop browser emulating one is a person), Tor and VPN lists (people use them for privacy; what a list
    // says about a person is the operator's call, through access lists) and whether client hints are present
    // (Chromium sends them only on secure origins, proxies strip them; hints that contradict the user agent still
    // count). Accept-Language and Accept-Encoding stay: the training data has people whose browser sends neither,
    // so one missing alone is no evidence, while a set missing them and Sec-Fetch-* both is a script's.
    public static readonly IReadOnlySet<int> EvidenceSlots = new HashSet<int>(
    [
        UaMissing, UaKnownBrowser, UaAutomationToken, UaHeadless, UaBotWord, UaHasUrl, UaNonPrintable, UaKnownBot,
        HeaderAccept, HeaderAcceptLanguage, HeaderAcceptEncoding, SecFetchCount, SecFetchMismatch, ClientHintsMismatch,
        IpDatacenter,
        EmailDisposable, MessageLinks,
    ]);

    // The value an ordinary browser request has in a slot (NaN: none). An explanation never names a slot at its
    // ordinary value: "not on the Tor list" or "sends Accept" is not a reason, whatever a tree's path made of it.
    public static readonly float[] OrdinaryValues = BuildOrdinaryValues();

    public static bool IsEvidence(int slot) => EvidenceSlots.Contains(slot);

    private static float[] BuildOrdinaryValues()
    {
        var values = new float[Count];
        Array.Fill(values, float.NaN);
        foreach (var slot in new[] { UaMissing, UaAutomationToken, UaHeadless, UaBotWord, UaHasUrl, UaNonPrintable, UaKnownBot, SecFetchMismatch,
                     ClientHintsMismatch, IpPrivate, IpDatacenter, IpTor, IpVpn, EmailDisposable, MessageLinks })
        {
            values[slot] = 0;
        }

        foreach (var slot in new[] { UaBrowserStructure, UaKnownBrowser, HeaderAccept, HeaderAcceptLanguage, HeaderAcceptEncoding, SecFetchExpected })
        {
            values[slot] = 1;
        }

        values[SecFetchCount] = 3;
        return values;
    }

    public static bool IsOrdinary(int slot, float value) => OrdinaryValues[slot] == value;

    private static SignalGroup[] BuildGroups()
    {
        var groups = new SignalGroup[Count];
        for (var slot = 0; slot < Count; slot++)
        {
            groups[slot] = slot switch
            {
                <= UaKnownBot => SignalGroup.UserAgent,
                <= ClientHintsMismatch => SignalGroup.HeaderSet,
                Method or ContentType or BodyLength or IpVersion or IpPrivate => SignalGroup.RequestShape,
                IpDatacenter or IpTor or IpVpn => SignalGroup.Network,
                EmailDisposable or MessageLinks => SignalGroup.Content,
                _ => SignalGroup.Behaviour,
            };
        }

        return groups;
    }

    public static int IndexOf(string name) => Array.IndexOf(Names, name);
}
