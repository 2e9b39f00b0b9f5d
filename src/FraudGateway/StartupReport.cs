using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Observation;
using FraudGateway.Privacy;
using FraudGateway.State;

namespace FraudGateway;

// Says at start what the gateway is doing and warns about what an operator should know:
// settings that are fine for a demo and wrong for production.
internal sealed partial class StartupReport(
    GatewaySettingsProvider settings,
    IGatewayStore store,
    SubjectHasher hasher,
    IConfiguration configuration,
    CaptchaProviderRegistry captcha,
    TimeProvider time,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = settings.Current;
        Log.Started(logger, store.Name, current.Policies.Count, string.Join(", ", current.Policies.Keys), current.Identity.TrustedProxies.Count);
        // What each scoring policy answers a risky score with: every rung it decides is one it enforces.
        foreach (var (name, policy) in current.Policies)
        {
            if (policy.Scoring is { Mode: not Scoring.ScoringMode.Off } scoring)
            {
                Log.PolicyLadder(logger, name, scoring.Mode, scoring.Ladder.ToString());
            }
        }

        if (hasher.IsEphemeral)
        {
            Log.EphemeralHmacKey(logger);
        }

        // Key rotation: which previous keys are still tried, and which have ended (and can be removed).
        foreach (var previous in hasher.Previous)
        {
            Log.PreviousHmacKey(logger, hasher.KeyId, previous.KeyId, previous.ValidUntil, previous.ValidUntil > time.GetUtcNow() ? "tried until then" : "ended: no longer tried; remove it");
        }

        if (string.IsNullOrEmpty(configuration[$"{FraudGatewayOptions.SectionName}:Management:ApiKey"]))
        {
            Log.NoApiKey(logger);
        }

        foreach (var simulated in captcha.SimulatedProviders)
        {
            Log.SimulatedCaptcha(logger, simulated);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.StartupPolicyLadder, EventName = nameof(LogEvents.StartupPolicyLadder), Level = LogLevel.Information, Message = "Policy {Policy} scores ({Mode}) and answers risk with: {Ladder}.")]
        public static partial void PolicyLadder(ILogger logger, string policy, Scoring.ScoringMode mode, string ladder);

        [LoggerMessage(EventId = LogEvents.StartupStarted, EventName = nameof(LogEvents.StartupStarted), Level = LogLevel.Information, Message = "FraudGateway started: store {Store}, {PolicyCount} policies ({Policies}), {TrustedProxyCount} trusted proxy networks.")]
        public static partial void Started(ILogger logger, string store, int policyCount, string policies, int trustedProxyCount);

        [LoggerMessage(EventId = LogEvents.StartupEphemeralHmacKey, EventName = nameof(LogEvents.StartupEphemeralHmacKey), Level = LogLevel.Warning, Message = "FraudGateway:Privacy:HmacKey is not set: using a random key for this process. Stored identifiers change on restart; set a key for production.")]
        public static partial void EphemeralHmacKey(ILogger logger);

        [LoggerMessage(EventId = LogEvents.StartupPreviousHmacKey, EventName = nameof(LogEvents.StartupPreviousHmacKey), Level = LogLevel.Information, Message = "HMAC key {KeyId} is current; previous key {PreviousKeyId} valid until {ValidUntil:O}: {State}.")]
        public static partial void PreviousHmacKey(ILogger logger, string keyId, string previousKeyId, DateTimeOffset validUntil, string state);

        [LoggerMessage(EventId = LogEvents.StartupNoApiKey, EventName = nameof(LogEvents.StartupNoApiKey), Level = LogLevel.Warning, Message = "FraudGateway:Management:ApiKey is not set: /admin endpoints answer 401 to every call.")]
        public static partial void NoApiKey(ILogger logger);

        [LoggerMessage(EventId = LogEvents.StartupSimulatedCaptcha, EventName = nameof(LogEvents.StartupSimulatedCaptcha), Level = LogLevel.Critical, Message = "!!! Captcha provider {Provider} is SIMULATED: its tokens are checked by the captcha simulator, not by the real provider. For tests and load tests only; never in production. !!!")]
        public static partial void SimulatedCaptcha(ILogger logger, string provider);
    }
}
