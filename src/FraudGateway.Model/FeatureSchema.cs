namespace FraudGateway.Model;

// The model's feature vector: one fixed order, one name per slot. The gateway and the trainer both fill it with
// FeatureExtractor, and a model file records the schema version it was trained on; a model trained on another
// schema is refused at load (RiskModel.Load).
//
// A value of -1 means "not known for this request" (no counter configured, no body inspected, first request seen):
// tree models split on it like any other value, so "unknown" never reads as "zero".
public static class FeatureSchema
{
    // Bump when a slot is added, removed, reordered or changes meaning.
    public const int Version = 1;

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
    public const int HeaderAccept = 13;
    public const int HeaderAcceptLanguage = 14;
    public const int HeaderAcceptEncoding = 15;
    public const int SecFetchCount = 16;
    public const int SecFetchExpected = 17;
    public const int SecFetchMismatch = 18;
    public const int ClientHintsPresent = 19;
    public const int ClientHintsMismatch = 20;
    public const int HeaderCount = 21;
    public const int Method = 22;
    public const int ContentType = 23;
    public const int BodyLength = 24;
    public const int IpVersion = 25;
    public const int IpPrivate = 26;
    public const int IpDatacenter = 27;
    public const int IpTor = 28;
    public const int IpVpn = 29;
    public const int HourOfDay = 30;
    public const int DayOfWeek = 31;
    public const int SecondsSincePrevious = 32;
    public const int InterArrivalCv = 33;
    public const int RequestsPerIpMinute = 34;
    public const int RequestsPerIpHour = 35;
    public const int RequestsPerPrefixMinute = 36;
    public const int DistinctAccountsPerIp = 37;
    public const int DistinctAccountsPerPrefix = 38;
    public const int FailuresPerAccount = 39;
    public const int FailuresPerIp = 40;
    public const int DistinctIpsPerAccount = 41;
    public const int EmailDisposable = 42;
    public const int MessageLinks = 43;
    public const int FormFillSeconds = 44;

    public const int Count = 45;

    public static readonly string[] Names =
    [
        "ua_missing", "ua_length", "ua_browser_structure", "ua_known_browser", "ua_major_version", "ua_version_staleness",
        "ua_mobile", "ua_automation_token", "ua_headless", "ua_bot_word", "ua_has_url", "ua_char_class_entropy",
        "ua_non_printable", "header_accept", "header_accept_language", "header_accept_encoding", "sec_fetch_count",
        "sec_fetch_expected", "sec_fetch_mismatch", "client_hints_present", "client_hints_mismatch", "header_count",
        "method", "content_type", "body_length", "ip_version", "ip_private", "ip_datacenter", "ip_tor", "ip_vpn",
        "hour_of_day", "day_of_week", "seconds_since_previous", "inter_arrival_cv", "requests_per_ip_minute",
        "requests_per_ip_hour", "requests_per_prefix_minute", "distinct_accounts_per_ip", "distinct_accounts_per_prefix",
        "failures_per_account", "failures_per_ip", "distinct_ips_per_account", "email_disposable", "message_links",
        "form_fill_seconds",
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

    public static int IndexOf(string name) => Array.IndexOf(Names, name);
}
