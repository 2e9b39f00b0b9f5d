namespace FraudGateway.Tls;

public enum TlsSoftwareKind
{
    Unknown,
    Browser,
    Library,
}
