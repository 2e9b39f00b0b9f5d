using FraudGateway.State;

namespace FraudGateway.Counters;

internal static class CountersServiceCollectionExtensions
{
    // Counting: what a request touches in the store (CounterRequestBuilder), the stage that runs it, and the
    // in-process structures beside it (over-limit cache, local fallback limiter, approximate counting), each swept on
    // MemorySweeper's timer and told of lifted limits and erased subjects (IBroadcastListener); login outcomes after the
    // upstream answers.
    public static IServiceCollection AddCounters(this IServiceCollection services, StoreOptions options)
    {
        services.AddSingleton<LoginOutcomeObserver>();
        services.AddSingleton<CounterRequestBuilder>();
        services.AddSingleton(sp => new LocalFallbackLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new OverLimitCache(sp.GetRequiredService<TimeProvider>(), options.OverLimitCacheMaxEntries));
        services.AddSingleton(sp => new ApproximateCounting(sp.GetRequiredService<IGatewayStore>() as IApproximateStore, options, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<ApproximateCounting>());
        foreach (var type in new[] { typeof(LocalFallbackLimiter), typeof(OverLimitCache), typeof(ApproximateCounting) })
        {
            services.AddSingleton(sp => (IAgedState)sp.GetRequiredService(type));
            services.AddSingleton(sp => (IBroadcastListener)sp.GetRequiredService(type));
        }

        services.AddSingleton<CountersStage>();
        return services;
    }
}
