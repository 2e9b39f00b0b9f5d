using FraudGateway.Problems;

namespace FraudGateway.Management;

// The gateway listens on two ports in one process. This keeps them apart by the port the connection
// arrived on (not the Host header, which the client writes): management endpoints exist only on the
// management port, and nothing else (no proxied route) is reachable there.
internal sealed class ManagementPortGuardMiddleware(RequestDelegate next, int managementPort)
{
    public Task InvokeAsync(HttpContext context)
    {
        var onManagementPort = context.Connection.LocalPort == managementPort;
        var isManagementEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null;
        return onManagementPort == isManagementEndpoint
            ? next(context)
            : ProblemWriter.WriteAsync(context, GatewayProblems.RouteNotFound);
    }
}
