using FraudGateway.Observation;
using FraudGateway.State.InMemory;
using FraudGateway.State.Redis;
using StackExchange.Redis;

namespace FraudGateway.State;

internal static class StateServiceCollectionExtensions
{
    // The store, chosen here once: Redis when a connection string is set, else in process. Each part of its contract
    // is registered too (ICounterStore, IBanStore, IClaimStore, IStoreBroadcasts, IStoreLifecycle: the one store), so a
    // consumer takes only the part it needs; the warm-up, the broadcast wiring and the ban gauge run as hosted services.
    public static IServiceCollection AddGatewayStore(this IServiceCollection services, string? redis, StoreOptions options)
    {
        services.AddSingleton(options);
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<InMemoryGatewayStore>();
            services.AddSingleton<IGatewayStore>(sp => sp.GetRequiredService<InMemoryGatewayStore>());
            services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<InMemoryGatewayStore>());
        }
        else
        {
            services.AddSingleton<IConnectionMultiplexer>(sp => RedisConnector.Connect(redis, options, sp.GetRequiredService<ILogger<RedisGatewayStore>>()));
            services.AddSingleton<IGatewayStore>(sp => new RedisGatewayStore(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<GatewayMetrics>(),
                sp.GetRequiredService<ILogger<RedisGatewayStore>>()));
        }

        services.AddSingleton<ICounterStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IBanStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IClaimStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IStoreBroadcasts>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IStoreLifecycle>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddHostedService<BroadcastSubscriptions>();
        services.AddHostedService<StoreWarmup>();
        services.AddHostedService<BanGauge>();
        return services;
    }
}
