namespace FraudGateway.Management;

// Marks endpoints that are served only on the management listener.
internal sealed class ManagementEndpointMetadata
{
    public static readonly ManagementEndpointMetadata Instance = new();
}
