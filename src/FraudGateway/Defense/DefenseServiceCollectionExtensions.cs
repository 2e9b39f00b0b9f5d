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
            services.AddHostedService<InMemoryFlagsErasure>();
        }

        services.AddSingleton<TrustedDevices>();
        services.AddSingleton<SiteDefense>();
        services.AddSingleton<DeviceTrustStage>();
        services.AddSingleton<DefenseStage>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<Counters.ILoginOutcomeListener, DefenseLoginListener>();
        return services;
    }

    // A subject erased on this instance takes the in-process flags naming it (its device revocation) along.
    private sealed class InMemoryFlagsErasure(IGatewayStore store, InMemorySharedFlags flags) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            store.SubjectErased += flags.Erase;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            store.SubjectErased -= flags.Erase;
            return Task.CompletedTask;
        }
    }
}
