namespace FraudGateway.Model;

// The model's feature vector: one fixed order, one name per slot. The gateway and the trainer both fill it with
// FeatureExtractor, and a model file records the schema version it was trained on; a model trained on another
// schema is refused at load (RiskModel.Load).
//
// A value of -1 in an optional slot (OptionalSlots) means "not known for this request": no counter mapped, no body
// inspected, no form token configured, first request seen. The trainer masks these slots to -1 at the same rates for
// both classes (ModelTrainer), so that "unknown" carries no evidence either way, and explanations never name one.
public static class FeatureSchema
{
    // Bump when a slot is added, removed, reordered or changes meaning.
    // 2: no absolute clock (hour_of_day, day_of_week gone: a person's normal hour is not evidence), no header count
    //    (what a deployment's proxies add is not the client's), ua_known_bot (isbot's patterns) added.
    public const int Version = 2;

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
        BodyLength, SecondsSincePrevious, InterArrivalCv, RequestsPerIpMinute, RequestsPerIpHour, RequestsPerPrefixMinute,
        DistinctAccountsPerIp, DistinctAccountsPerPrefix, FailuresPerAccount, FailuresPerIp, DistinctIpsPerAccount,
        EmailDisposable, MessageLinks, FormFillSeconds,
    ]);

    public static bool IsUnknown(int slot, float value) => value < 0 && OptionalSlots.Contains(slot);

    public static int IndexOf(string name) => Array.IndexOf(Names, name);
}
