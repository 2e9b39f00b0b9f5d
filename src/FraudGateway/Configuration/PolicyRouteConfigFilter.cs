using Yarp.ReverseProxy.Configuration;

namespace FraudGateway.Configuration;

// YARP calls this for every route and cluster on the first load and on every reload. Throwing makes YARP refuse
// the whole new configuration (keeping the previous one on reload), so a route can never go live
// naming a policy that does not exist. It reads the policy names from the configuration itself, not
// from GatewaySettingsProvider, because both reload from the same change and either may run first.
internal sealed class PolicyRouteConfigFilter(IConfiguration configuration) : IProxyConfigFilter
{
    // Header values may hold non-ASCII (Forwarding.HeaderBytesEncoding); a cluster that names no encoding of its own
    // forwards them as UTF-8 instead of failing the request.
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) =>
        cluster.HttpClient?.RequestHeaderEncoding is not null
            ? new(cluster)
            : new(cluster with { HttpClient = (cluster.HttpClient ?? new HttpClientConfig()) with { RequestHeaderEncoding = "utf-8" } });

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        if (route.Metadata is not null && route.Metadata.TryGetValue(GatewayConfigLoader.PolicyMetadataKey, out var policy)
            && MissingPolicy(configuration, route.RouteId, policy) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        return new(route);
    }

    // The one check of a route's policy name (the loader and PolicyRouteConfigFilter): null when the policy is defined.
    public static string? MissingPolicy(IConfiguration configuration, string routeId, string? policy) =>
        !string.IsNullOrEmpty(policy) && configuration.GetSection($"{FraudGatewayOptions.SectionName}:Policies").GetChildren()
            .Any(p => string.Equals(p.Key, policy, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"ReverseProxy:Routes:{routeId} names protection policy '{policy}', which is not defined under FraudGateway:Policies.";

    // The policy each route names in its metadata.
    public static IEnumerable<(string RouteId, string Policy)> RoutePolicies(IConfiguration configuration)
    {
        foreach (var route in configuration.GetSection("ReverseProxy:Routes").GetChildren())
        {
            var policy = route.GetSection("Metadata")[GatewayConfigLoader.PolicyMetadataKey];
            if (policy is not null)
            {
                yield return (route.Key, policy);
            }
        }
    }
}
