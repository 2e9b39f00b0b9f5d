using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Privacy;
using FraudGateway.State;

namespace FraudGateway;

// Says at start what the gateway is doing and warns about what an operator should know:
// settings that are fine for a demo and wrong for production.
public sealed partial class StartupReport(
    GatewaySettingsProvider settings,
    IGatewayStore store,
    SubjectHasher hasher,
    IConfiguration configuration,
    CaptchaProviderRegistry captcha,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = settings.Current;
        Log.Started(logger, store.Name, current.Policies.Count, string.Join(", ", current.Policies.Keys), current.Identity.TrustedProxies.Count);
        if (hasher.IsEphemeral)
        {
            Log.EphemeralHmacKey(logger);
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
        [LoggerMessage(1, LogLevel.Information, "FraudGateway started: store {Store}, {PolicyCount} policies ({Policies}), {TrustedProxyCount} trusted proxy networks.")]
        public static partial void Started(ILogger logger, string store, int policyCount, string policies, int trustedProxyCount);

        [LoggerMessage(2, LogLevel.Warning, "FraudGateway:Privacy:HmacKey is not set: using a random key for this process. Stored identifiers change on restart; set a key for production.")]
        public static partial void EphemeralHmacKey(ILogger logger);

        [LoggerMessage(3, LogLevel.Warning, "FraudGateway:Management:ApiKey is not set: /admin endpoints answer 401 to every call.")]
        public static partial void NoApiKey(ILogger logger);

        [LoggerMessage(4, LogLevel.Critical, "!!! Captcha provider {Provider} is SIMULATED: its tokens are checked by the captcha simulator, not by the real provider. For tests and load tests only; never in production. !!!")]
        public static partial void SimulatedCaptcha(ILogger logger, string provider);
    }
}
