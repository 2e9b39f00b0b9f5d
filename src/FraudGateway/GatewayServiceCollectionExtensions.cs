using FraudGateway.Decisions;
using FraudGateway.AccessLists;
using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Counters;
using FraudGateway.Defense;
using FraudGateway.Identity;
using FraudGateway.Management;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.RateLimiting;
using FraudGateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace FraudGateway;

internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddFraudGateway(this IServiceCollection services, IConfiguration configuration, GatewayConfigLoader.Result loaded)
    {
        var options = loaded.Options;
        var settings = loaded.Settings ?? throw new GatewayConfigurationException(loaded.Errors);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new GatewaySettingsProvider(configuration, settings, sp.GetRequiredService<ILogger<GatewaySettingsProvider>>()));
        services.AddSingleton<GatewayMetrics>();
        services.AddGatewayTelemetry(configuration);
        services.AddSingleton(options.Privacy.HmacKey.Length > 0
            ? new SubjectHasher(options.Privacy.HmacKey, options.Privacy.HmacKeyId, previous: options.Privacy.PreviousHmacKeys
                .Select(p => new SubjectHasher(p.Key, p.Id, p.ValidUntil)).ToList())
            : SubjectHasher.CreateEphemeral());

        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IGatewayStore, InMemoryGatewayStore>();
            services.AddSingleton<Decisions.IDecisionStore, Decisions.InMemoryDecisionStore>();
            services.AddSingleton<IAgedState>(sp => (Decisions.InMemoryDecisionStore)sp.GetRequiredService<Decisions.IDecisionStore>());
        }
        else
        {
            services.AddSingleton<IConnectionMultiplexer>(sp => RedisConnector.Connect(redis, options.Store, sp.GetRequiredService<ILogger<RedisGatewayStore>>()));
            services.AddSingleton<IGatewayStore>(sp => new RedisGatewayStore(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                options.Store,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<GatewayMetrics>(),
                sp.GetRequiredService<ILogger<RedisGatewayStore>>()));
            services.AddSingleton<Decisions.IDecisionStore>(sp => new Decisions.RedisDecisionStore(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                options.Store,
                options.Decisions,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<GatewayMetrics>()));
        }

        services.AddSingleton(options.Decisions);
        services.AddSingleton<Decisions.RecordingGate>();
        services.AddSingleton(options.Store);
        services.AddSingleton(options.Management);
        services.AddSingleton<Management.AuditTrail>();
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<Management.AuditTrail>());
        services.AddManagementOpenApi();

        services.AddSingleton<ClientIdentityStage>();
        services.AddSingleton<AccessListStage>();
        services.AddSingleton<BodyInspection.BodyInspectionStage>();
        services.AddSingleton<BodyInspection.FormTokens>();
        services.AddSingleton(options.EmailDomains);
        services.AddSingleton<BodyInspection.DisposableEmailDomains>();
        services.AddSingleton<LoginOutcomeObserver>();
        services.AddSingleton<CounterRequestBuilder>();
        // An erasure on any instance (IGatewayStore.SubjectErased) clears what each in-process structure holds about
        // the subject here too; these are all created at start (MemorySweeper sweeps them), so every instance listens.
        services.AddSingleton(sp =>
        {
            var limiter = new LocalFallbackLimiter(sp.GetRequiredService<TimeProvider>());
            sp.GetRequiredService<IGatewayStore>().SubjectErased += id => limiter.Store.Erase(id);
            return limiter;
        });
        services.AddSingleton(sp =>
        {
            var cache = new OverLimitCache(sp.GetRequiredService<TimeProvider>(), options.Store.OverLimitCacheMaxEntries);
            // An admin lift on any instance clears the cached refusal here too.
            var store = sp.GetRequiredService<IGatewayStore>();
            store.LimitLifted += cache.Forget;
            store.SubjectErased += cache.ForgetSubject;
            return cache;
        });
        services.AddSingleton(sp =>
        {
            var gatewayStore = sp.GetRequiredService<IGatewayStore>();
            var counting = new ApproximateCounting(gatewayStore as IApproximateStore, options.Store, sp.GetRequiredService<TimeProvider>());
            gatewayStore.LimitLifted += counting.Forget;
            gatewayStore.SubjectErased += counting.ForgetSubject;
            return counting;
        });
        services.AddHostedService(sp => sp.GetRequiredService<ApproximateCounting>());
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<ApproximateCounting>());
        services.AddSingleton<CountersStage>();
        services.AddSingleton<RateLimitStage>();
        services.AddSingleton(options.Captcha);
        services.AddSingleton<CaptchaProviderRegistry>();
        services.AddSingleton<CaptchaPass>();
        services.AddSingleton<CaptchaStage>();
        services.AddSingleton<LateAnswers>();
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<LateAnswers>());
        services.AddSingleton<ProviderOutageLog>();
        // Bounded and pooled: a user waits at most ProviderTimeoutMs (LateAnswers), the call itself at most
        // LateAnswers.CallBound, so a late answer still serves the user's retry. No retries: a siteverify call is not
        // idempotent for every provider (a retried token is a duplicate).
        var captchaTimeout = TimeSpan.FromMilliseconds(options.Captcha.ProviderTimeoutMs);
        services.AddHttpClient(SiteVerifyProvider.HttpClientName, client => client.Timeout = LateAnswers.CallBound)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = captchaTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 64,
            });
        services.AddSingleton(options.Model);
        services.AddSingleton<Scoring.ModelHost>();
        services.AddSingleton(sp =>
        {
            var tracker = new Scoring.ArrivalTracker(Math.Max(1, options.Model.ArrivalHistoryClients));
            sp.GetRequiredService<IGatewayStore>().SubjectErased += tracker.Forget;
            return tracker;
        });
        services.AddSingleton<Scoring.ScoringStage>();
        services.AddDefense(redis: !string.IsNullOrWhiteSpace(redis));
        services.AddSingleton<GatewayPipeline>();
        services.AddSingleton<DecisionRecorder>();
        // Every structure with record lifetimes is swept on a timer (MemorySweeper), traffic or not.
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<OverLimitCache>());
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<LocalFallbackLimiter>());
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<Scoring.ArrivalTracker>());
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<IGatewayStore>() as IAgedState ?? NothingToSweep.Instance);
        services.AddHostedService<MemorySweeper>();
        services.AddHostedService<State.StoreWarmup>();
        services.AddHostedService<StartupReport>();
        services.AddHostedService<BanGauge>();
        services.AddHostedService<MetricsBaseline>();

        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<PolicyRouteConfigFilter>()
            .ConfigureHttpClient((_, handler) => handler.ConnectTimeout = TimeSpan.FromMilliseconds(options.Upstream.ConnectTimeoutMs));

        return services;
    }
}
