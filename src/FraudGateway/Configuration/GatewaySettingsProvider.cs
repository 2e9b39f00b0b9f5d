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

    // initial is what GatewayHost validated at start, before the listeners were added to the configuration.
    public GatewaySettingsProvider(IConfiguration configuration, GatewaySettings initial, ILogger<GatewaySettingsProvider> logger)
    {
        _configuration = configuration;
        _logger = logger;
        _current = initial;
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

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
            Changed?.Invoke(result.Settings);
        }
        catch (Exception e)
        {
            // A change-token callback that throws can take the process down; a bad reload must not.
            Log.ReloadFailed(_logger, e);
        }
    }

    public void Dispose() => _reloadRegistration.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ConfigurationReloaded, EventName = nameof(LogEvents.ConfigurationReloaded), Level = LogLevel.Information, Message = "FraudGateway configuration reloaded: {PolicyCount} policies.")]
        public static partial void Reloaded(ILogger logger, int policyCount);

        [LoggerMessage(EventId = LogEvents.ConfigurationReloadRejected, EventName = nameof(LogEvents.ConfigurationReloadRejected), Level = LogLevel.Error, Message = "FraudGateway configuration reload rejected, the previous configuration stays in force: {Errors}")]
        public static partial void ReloadRejected(ILogger logger, string errors);

        [LoggerMessage(EventId = LogEvents.ConfigurationReloadFailed, EventName = nameof(LogEvents.ConfigurationReloadFailed), Level = LogLevel.Error, Message = "FraudGateway configuration reload failed, the previous configuration stays in force.")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
