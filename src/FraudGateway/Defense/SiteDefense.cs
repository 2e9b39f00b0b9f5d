using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.State;

namespace FraudGateway.Defense;

// Every protected route's site-wide defense on this instance (RouteDefense), and what an operator forced. A forced
// mode is a shared flag "defense:<policy>:<route>" = on | off with its end; each instance reads it at most every
// ForcedRefreshSeconds on the request path without waiting for it (the instance that took the admin call applies it
// at once). Metrics: fraudgateway.defense.state (0 normal, 1 detected, 2 forced on, -1 forced off) per policy and route,
// fraudgateway.defense.transitions and fraudgateway.defense.logins (by device: trusted or new, and defended).
internal sealed partial class SiteDefense
{
    public const int ForcedRefreshSeconds = 2;

    private readonly ConcurrentDictionary<(string Policy, string Route), RouteDefense> _routes = new();
    private readonly ISharedFlags _flags;
    private readonly TimeProvider _time;
    private readonly ILogger<SiteDefense> _logger;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _logins;
    private long _forcedReadAt = long.MinValue;
    private int _refreshing;

    public SiteDefense(ISharedFlags flags, TimeProvider time, IMeterFactory meters, ILogger<SiteDefense> logger)
    {
        _flags = flags;
        _time = time;
        _logger = logger;
        var meter = meters.Create(GatewayMetrics.MeterName);
        meter.CreateObservableGauge("fraudgateway.defense.state", ObserveStates, unit: "{state}",
            description: "Site-wide defense per policy and route: 0 normal, 1 attack detected (defended), 2 forced on, -1 forced off.");
        _transitions = meter.CreateCounter<long>("fraudgateway.defense.transitions", unit: "{transition}", description: "Attacks detected and ended, and operator overrides, by policy and route.");
        _logins = meter.CreateCounter<long>("fraudgateway.defense.logins", unit: "{request}", description: "Logins on defended policies by device (trusted, new) and whether the route was defended.");
    }

    public static string FlagName(string policy, string route) => $"defense:{policy}:{route}";

    public IEnumerable<RouteDefense> Routes => _routes.Values;

    public RouteDefense For(GatewayPolicy policy, DefenseSettings settings, string route)
    {
        var defense = _routes.GetOrAdd((policy.Name, route), key => new RouteDefense(key.Policy, key.Route, settings.Detector));
        RefreshForcedIfDue();
        return defense;
    }

    public void Observe(RouteDefense route, long attempts, long successes, long breached = 0)
    {
        var now = _time.GetUtcNow();
        if (route.Observe(attempts, successes, breached, now, out var detected))
        {
            _transitions.Add(1, new("policy", route.Policy), new("route", route.Route), new("transition", detected ? "detected" : "ended"));
            if (detected)
            {
                Log.AttackDetected(_logger, route.Policy, route.Route, route.Attempts, route.Unproven, route.Share);
            }
            else
            {
                Log.AttackEnded(_logger, route.Policy, route.Route);
            }
        }
    }

    // The outcome of a login that solved a proof of work on a defended route (LoginOutcomeObserver).
    public void ObserveSolved(FraudGatewayFeature feature, bool success)
    {
        if (feature.Policy.Defense is not { } settings || !feature.SolvedProofOfWork)
        {
            return;
        }

        var route = For(feature.Policy, settings, feature.RouteId);
        var now = _time.GetUtcNow();
        if (route.IsDefended(now) && route.ObserveSolved(success, now))
        {
            _transitions.Add(1, new("policy", route.Policy), new("route", route.Route), new("transition", "escalated"));
            Log.Escalated(_logger, route.Policy, route.Route, feature.Policy.Scoring?.Ladder.Captcha is not null);
        }
    }

    public void CountLogin(string policy, bool trustedDevice, bool defended) =>
        _logins.Add(1, new("policy", policy), new("device", trustedDevice ? "trusted" : "new"), new("defended", defended));

    // An operator's override, on every instance: on / off until ttl, or auto (removed).
    public async Task ForceAsync(string policy, string route, string mode, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var name = FlagName(policy, route);
        var flag = mode == "auto" ? null : $"{mode}|{_time.GetUtcNow().Add(ttl).ToUnixTimeSeconds()}";
        if (flag is null)
        {
            await _flags.RemoveAsync(name, cancellationToken);
        }
        else
        {
            await _flags.SetAsync(name, flag, ttl, cancellationToken);
        }

        if (_routes.TryGetValue((policy, route), out var defense))
        {
            Apply(defense, flag);
        }

        _transitions.Add(1, new("policy", policy), new("route", route), new("transition", "forced-" + mode));
        Log.Forced(_logger, policy, route, mode, mode == "auto" ? TimeSpan.Zero : ttl);
    }

    // Reads every known route's forced flag now (admin reads, tests).
    public async Task RefreshForcedAsync(CancellationToken cancellationToken)
    {
        foreach (var defense in _routes.Values)
        {
            Apply(defense, await _flags.GetAsync(FlagName(defense.Policy, defense.Route), cancellationToken));
        }

        Volatile.Write(ref _forcedReadAt, _time.GetTimestamp());
    }

    private void RefreshForcedIfDue()
    {
        var readAt = Volatile.Read(ref _forcedReadAt);
        if ((readAt != long.MinValue && _time.GetElapsedTime(readAt) < TimeSpan.FromSeconds(ForcedRefreshSeconds)) || Interlocked.Exchange(ref _refreshing, 1) != 0)
        {
            return;
        }

        _ = RefreshInBackgroundAsync();
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshForcedAsync(CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The last known override stays; the store's own failure is logged by the store.
            Log.FlagsUnavailable(_logger);
            Volatile.Write(ref _forcedReadAt, _time.GetTimestamp());
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private static void Apply(RouteDefense defense, string? flag) =>
        defense.Forced = flag?.Split('|') is [var mode, var until] && mode is "on" or "off" && long.TryParse(until, out var seconds)
            ? new ForcedMode(mode, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        var now = _time.GetUtcNow();
        foreach (var route in _routes.Values)
        {
            var state = route.ForcedAt(now) switch
            {
                "on" => 2,
                "off" => -1,
                _ => route.IsDetected(now) ? 1 : 0,
            };
            yield return new Measurement<int>(state, new("policy", route.Policy), new("route", route.Route));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.DefenseAttackDetected, EventName = nameof(LogEvents.DefenseAttackDetected), Level = LogLevel.Warning,
            Message = "Site-wide attack detected on policy {Policy}, route {Route}: {Attempts} login attempts in the window, {Unproven} unproven ({Share:P0}); defended mode is on: logins without a trusted device must pass the challenge.")]
        public static partial void AttackDetected(ILogger logger, string policy, string route, long attempts, long unproven, double share);

        [LoggerMessage(EventId = LogEvents.DefenseAttackEnded, EventName = nameof(LogEvents.DefenseAttackEnded), Level = LogLevel.Warning,
            Message = "Site-wide attack on policy {Policy}, route {Route} no longer seen for the cool-down: defended mode is off.")]
        public static partial void AttackEnded(ILogger logger, string policy, string route);

        [LoggerMessage(EventId = LogEvents.DefenseForced, EventName = nameof(LogEvents.DefenseForced), Level = LogLevel.Warning,
            Message = "An operator set defended mode on policy {Policy}, route {Route} to {Mode} for {Duration}.")]
        public static partial void Forced(ILogger logger, string policy, string route, string mode, TimeSpan duration);

        [LoggerMessage(EventId = LogEvents.DefenseEscalated, EventName = nameof(LogEvents.DefenseEscalated), Level = LogLevel.Warning,
            Message = "Proofs of work on policy {Policy}, route {Route} are being solved at attack rates (most solved logins fail); a captcha rung to escalate to: {HasCaptchaRung}.")]
        public static partial void Escalated(ILogger logger, string policy, string route, bool hasCaptchaRung);

        [LoggerMessage(EventId = LogEvents.DefenseFlagsUnavailable, EventName = nameof(LogEvents.DefenseFlagsUnavailable), Level = LogLevel.Warning,
            Message = "Operator overrides of defended mode could not be read from the store; the last known ones stay in force.")]
        public static partial void FlagsUnavailable(ILogger logger);
    }
}
