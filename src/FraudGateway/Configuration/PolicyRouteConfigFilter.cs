using Yarp.ReverseProxy.Configuration;

namespace FraudGateway.Configuration;

// YARP calls this for every route on the first load and on every reload. Throwing makes YARP refuse
// the whole new configuration (keeping the previous one on reload), so a route can never go live
// naming a policy that does not exist. It reads the policy names from the configuration itself, not
// from GatewaySettingsProvider, because both reload from the same change and either may run first.
internal sealed class PolicyRouteConfigFilter(IConfiguration configuration) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        if (route.Metadata is not null && route.Metadata.TryGetValue(GatewayConfigLoader.PolicyMetadataKey, out var policy))
        {
            var policies = configuration.GetSection($"{FraudGatewayOptions.SectionName}:Policies").GetChildren();
            if (string.IsNullOrEmpty(policy) || !policies.Any(p => string.Equals(p.Key, policy, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Route '{route.RouteId}' names protection policy '{policy}', which is not defined under FraudGateway:Policies.");
            }
        }

        return new(route);
    }
}
