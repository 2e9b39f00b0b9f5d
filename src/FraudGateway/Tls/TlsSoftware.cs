namespace FraudGateway.Tls;

// Client software known by its TLS stack: a browser engine or a library (its corpus name).
public readonly record struct TlsSoftware(TlsSoftwareKind Kind, string Name, string Engine)
{
    public static readonly TlsSoftware Unknown = new(TlsSoftwareKind.Unknown, "unknown", "");
}
