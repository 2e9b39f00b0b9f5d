namespace FraudGateway.Forwarding;

internal sealed class UpstreamOptions
{
    /// <summary>
    /// A dead upstream must fail fast with a 502, not hold the client for SocketsHttpHandler's default.
    /// </summary>
    public int ConnectTimeoutMs { get; set; } = 2000;
}
