using FraudGateway.State;

namespace FraudGateway.Scoring;

internal static class ScoringServiceCollectionExtensions
{
    // Risk scoring: the model host (loads, reloads and shadows the model), arrival histories, the stage.
    public static IServiceCollection AddScoring(this IServiceCollection services, ModelOptions options)
    {
        services.AddSingleton(options);
        // One user-agent analysis cache for the process, read through the extractor the model host builds.
        services.AddSingleton<Model.UserAgentCache>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton(_ => new ArrivalTracker(Math.Max(1, options.ArrivalHistoryClients)));
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<ArrivalTracker>());
        services.AddSingleton<IBroadcastListener>(sp => sp.GetRequiredService<ArrivalTracker>());
        services.AddSingleton(Tls.TlsStacks.Shipped);
        services.AddSingleton<ScoringStage>();
        return services;
    }
}
