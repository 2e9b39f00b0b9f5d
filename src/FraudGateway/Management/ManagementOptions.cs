namespace FraudGateway.Management;

internal sealed class ManagementOptions
{
    /// <summary>
    /// A separate listener for /healthz, /readyz and /admin. Loopback by default: expose it deliberately or not at all.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:5001";

    /// <summary>
    /// Required for /admin endpoints (header X-Api-Key or "Authorization: Bearer &lt;key&gt;").
    /// Set it through the environment: FraudGateway__Management__ApiKey. Empty: /admin answers 401 to everyone.
    /// </summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// How long the audit trail of management actions (GET /admin/audit) keeps an entry: 90 days by default.
    /// </summary>
    public int AuditTtlSeconds { get; set; } = 90 * 24 * 3600;
}
