using FraudGateway.Observation;
using Microsoft.Extensions.Primitives;

namespace FraudGateway.Configuration;

// Holds the current GatewaySettings and swaps in a new one when configuration reloads.
// A reload that does not validate is logged and ignored: the gateway keeps enforcing the last good version
// rather than dropping protection or crashing on a typo in a live edit.
public sealed partial class GatewaySettingsProvider : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ILogger<GatewaySettingsProvider> _logger;
    private readonly IDisposable _reloadRegistration;
    private volatile GatewaySettings _current;
    private readonly Dictionary<string, string> _restartOnly;

    // initial is what GatewayHost validated at start, before the listeners were added to the configuration.
    public GatewaySettingsProvider(IConfiguration configuration, GatewaySettings initial, ILogger<GatewaySettingsProvider> logger)
    {
        _configuration = configuration;
        _logger = logger;
        _current = initial;
        _restartOnly = RestartOnlyValues(configuration);
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    // The settings a reload does not apply (listeners, store, keys, providers, the model files and lists, decision
    // storage): read once at start. A change to any of them is logged as needing a restart instead of silently ignored.
    public static readonly IReadOnlyList<string> RestartOnlySections =
    [
        "Urls", "Kestrel", "FraudGateway:Management", "FraudGateway:Store", "FraudGateway:Privacy", "FraudGateway:Upstream",
        "FraudGateway:Captcha", "FraudGateway:EmailDomains", "FraudGateway:Model", "FraudGateway:Decisions", "FraudGateway:BreachedPasswords", "OpenTelemetry",
    ];

    public GatewaySettings Current => _current;

    public event Action<GatewaySettings>? Changed;

    private void Reload()
    {
        try
        {
            var result = GatewayConfigLoader.Load(_configuration, startup: false);
            if (result.Settings is null)
            {
                Log.ReloadRejected(_logger, string.Join(" | ", result.Errors));
                return;
            }

            _current = result.Settings;
            Log.Reloaded(_logger, result.Settings.Policies.Count);
            var now = RestartOnlyValues(_configuration);
            var changed = now.Keys.Union(_restartOnly.Keys, StringComparer.OrdinalIgnoreCase)
                .Where(k => !now.TryGetValue(k, out var v) || !_restartOnly.TryGetValue(k, out var was) || v != was)
                .Order(StringComparer.OrdinalIgnoreCase).ToList();
            if (changed.Count > 0)
            {
                Log.RestartNeeded(_logger, string.Join(", ", changed));
            }

            Changed?.Invoke(result.Settings);
        }
        catch (Exception e)
        {
            // A change-token callback that throws can take the process down; a bad reload must not.
            Log.ReloadFailed(_logger, e);
        }
    }

    public void Dispose() => _reloadRegistration.Dispose();

    // Every value under the restart-only sections; secrets are compared, never logged (only their paths are).
    private static Dictionary<string, string> RestartOnlyValues(IConfiguration configuration)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in RestartOnlySections)
        {
            var root = configuration.GetSection(section);
            if (root.Value is { } own)
            {
                values[root.Path] = own;
            }

            foreach (var (key, value) in root.AsEnumerable())
            {
                if (value is not null)
                {
                    values[key] = value;
                }
            }
        }

        return values;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ConfigurationReloaded, EventName = nameof(LogEvents.ConfigurationReloaded), Level = LogLevel.Information, Message = "FraudGateway configuration reloaded: {PolicyCount} policies.")]
        public static partial void Reloaded(ILogger logger, int policyCount);

        [LoggerMessage(EventId = LogEvents.ConfigurationRestartNeeded, EventName = nameof(LogEvents.ConfigurationRestartNeeded), Level = LogLevel.Warning, Message = "These changed settings are read at start only and take effect after a restart: {Settings}.")]
        public static partial void RestartNeeded(ILogger logger, string settings);

        [LoggerMessage(EventId = LogEvents.ConfigurationReloadRejected, EventName = nameof(LogEvents.ConfigurationReloadRejected), Level = LogLevel.Error, Message = "FraudGateway configuration reload rejected, the previous configuration stays in force: {Errors}")]
        public static partial void ReloadRejected(ILogger logger, string errors);

        [LoggerMessage(EventId = LogEvents.ConfigurationReloadFailed, EventName = nameof(LogEvents.ConfigurationReloadFailed), Level = LogLevel.Error, Message = "FraudGateway configuration reload failed, the previous configuration stays in force.")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
