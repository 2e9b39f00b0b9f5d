namespace FraudGateway.Forwarding;

internal sealed class UpstreamOptions
{
    // A dead upstream must fail fast with a 502, not hold the client for SocketsHttpHandler's default.
    public int ConnectTimeoutMs { get; set; } = 2000;
}
