using FraudGateway.Observation;
using FraudGateway.State;
using StackExchange.Redis;

namespace FraudGateway.Management;

internal static class ManagementServiceCollectionExtensions
{
    // The management API's services: its options, the audit trail (on Redis when the store is Redis, else in process)
    // and the OpenAPI document.
    public static IServiceCollection AddManagement(this IServiceCollection services, bool redis, ManagementOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new AuditTrail(
            redis ? sp.GetRequiredService<IConnectionMultiplexer>() : null,
            sp.GetRequiredService<StoreOptions>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<GatewayMetrics>(),
            sp.GetRequiredService<ILogger<AuditTrail>>()));
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<AuditTrail>());
        services.AddManagementOpenApi();
        return services;
    }
}
