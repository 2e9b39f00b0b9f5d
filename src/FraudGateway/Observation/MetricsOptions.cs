namespace FraudGateway.Observation;

/// <summary>
/// FraudGateway:Metrics: what the OpenTelemetry meters export. Parsed by <see cref="Telemetry.Parse"/>; kept as text
/// here because Platform takes a name or a flag.
/// </summary>
internal sealed class MetricsOptions
{
    /// <summary>true (default): /metrics is served; false: nothing is exported.</summary>
    public string? Enabled { get; set; }

    /// <summary>Essential (default, or true), All, or None (or false): which ASP.NET Core, Kestrel and runtime meters
    /// are exported beside the gateway's own.</summary>
    public string? Platform { get; set; }
}
