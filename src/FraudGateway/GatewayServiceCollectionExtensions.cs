using FraudGateway.AccessLists;
using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Counters;
using FraudGateway.Credentials;
using FraudGateway.Decisions;
using FraudGateway.Defense;
using FraudGateway.Identity;
using FraudGateway.Management;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.RateLimiting;
using FraudGateway.Scoring;
using FraudGateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FraudGateway;

// The composition root: the shared services, then one registration per feature (each in its own folder, as YARP's
// builder extensions are), the pipeline, and YARP itself.
internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddFraudGateway(this IServiceCollection services, IConfiguration configuration, GatewayConfigLoader.Result loaded)
    {
        var options = loaded.Options;
        var settings = loaded.Settings ?? throw new GatewayConfigurationException(loaded.Errors);
        var redis = configuration.GetConnectionString("Redis");
        var onRedis = !string.IsNullOrWhiteSpace(redis);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new GatewaySettingsProvider(configuration, settings, sp.GetRequiredService<ILogger<GatewaySettingsProvider>>()));
        services.AddSingleton<GatewayMetrics>();
        services.AddGatewayTelemetry(configuration);
        services.AddSubjectHasher(options.Privacy);

        services.AddGatewayStore(redis, options.Store);
        services.AddDecisions(onRedis, options.Decisions);
        services.AddManagement(onRedis, options.Management);
        services.AddSingleton<ClientIdentityStage>();
        services.AddSingleton<AccessListStage>();
        services.AddBreachedPasswords(options.BreachedPasswords);
        services.AddBodyInspection(options.EmailDomains);
        services.AddCounters(options.Store);
        services.AddSingleton<RateLimitStage>();
        services.AddCaptcha(options.Captcha);
        services.AddScoring(options.Model);
        services.AddDefense(onRedis);
        services.AddSingleton<GatewayPipeline>();

        // Every structure with record lifetimes is swept on a timer (MemorySweeper), traffic or not.
        services.AddHostedService<MemorySweeper>();
        services.AddHostedService<StartupReport>();
        services.AddHostedService<MetricsBaseline>();

        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<PolicyRouteConfigFilter>()
            .ConfigureHttpClient((_, handler) => handler.ConnectTimeout = TimeSpan.FromMilliseconds(options.Upstream.ConnectTimeoutMs));

        return services;
    }
}
