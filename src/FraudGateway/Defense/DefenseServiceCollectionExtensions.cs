using FraudGateway.State;
using StackExchange.Redis;

namespace FraudGateway.Defense;

internal static class DefenseServiceCollectionExtensions
{
    // Site-wide attack defense: the shared flags (Redis when the store is Redis, else in process), trusted-device
    // tokens, the per-route detectors and their two stages.
    public static IServiceCollection AddDefense(this IServiceCollection services, bool redis)
    {
        if (redis)
        {
            services.AddSingleton<ISharedFlags>(sp => new RedisSharedFlags(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<StoreOptions>()));
        }
        else
        {
            services.AddSingleton<InMemorySharedFlags>();
            services.AddSingleton<ISharedFlags>(sp => sp.GetRequiredService<InMemorySharedFlags>());
            services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<InMemorySharedFlags>());
            // A subject erased on this instance takes the in-process flags naming it (its device revocation) along.
            services.AddSingleton<IBroadcastListener>(sp => sp.GetRequiredService<InMemorySharedFlags>());
        }

        services.AddSingleton<TrustedDevices>();
        services.AddSingleton<SiteDefense>();
        services.AddSingleton<DeviceTrustStage>();
        services.AddSingleton<DefenseStage>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<Counters.ILoginOutcomeListener, DefenseLoginListener>();
        return services;
    }
}
