using FraudGateway.Observation;
using FraudGateway.State;
using StackExchange.Redis;

namespace FraudGateway.Decisions;

internal static class DecisionsServiceCollectionExtensions
{
    // Decision records: kept on Redis when the store is Redis (one capped stream shared by every instance), else in
    // process; the sampling gate and the recorder the middleware calls once per request.
    public static IServiceCollection AddDecisions(this IServiceCollection services, bool redis, DecisionOptions options)
    {
        services.AddSingleton(options);
        if (redis)
        {
            services.AddSingleton<IDecisionStore>(sp => new RedisDecisionStore(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<StoreOptions>(),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<GatewayMetrics>()));
        }
        else
        {
            services.AddSingleton<InMemoryDecisionStore>();
            services.AddSingleton<IDecisionStore>(sp => sp.GetRequiredService<InMemoryDecisionStore>());
            services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<InMemoryDecisionStore>());
        }

        services.AddSingleton<RecordingGate>();
        services.AddSingleton<DecisionRecorder>();
        return services;
    }
}
