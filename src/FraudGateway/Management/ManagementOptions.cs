namespace FraudGateway.Management;

internal sealed class ManagementOptions
{
    // A separate listener for /healthz, /readyz and /admin. Loopback by default: expose it deliberately or not at all.
    public string Url { get; set; } = "http://127.0.0.1:5001";

    // Required for /admin endpoints (header X-Api-Key or "Authorization: Bearer <key>").
    // Set it through the environment: FraudGateway__Management__ApiKey. Empty: /admin answers 401 to everyone.
    public string ApiKey { get; set; } = "";
}
