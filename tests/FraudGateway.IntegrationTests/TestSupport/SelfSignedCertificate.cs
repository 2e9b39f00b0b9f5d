using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FraudGateway.IntegrationTests.TestSupport;

// A loopback certificate as an operator would configure it: a PEM pair on disk (Kestrel:Certificates:Default:Path and
// KeyPath). Clients of the test accept this one certificate by its thumbprint.
public sealed record SelfSignedCertificate(string CertificatePath, string KeyPath, string Thumbprint)
{
    public static SelfSignedCertificate Write(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Valid for decades around any date a test machine may have.
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(80));
        var written = new SelfSignedCertificate(Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"), certificate.GetCertHashString());
        File.WriteAllText(written.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(written.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return written;
    }

    // The gateway's public endpoint on HTTPS at port with this certificate.
    public Dictionary<string, string?> Settings(int port) => new()
    {
        ["Urls"] = $"https://127.0.0.1:{port}",
        ["Kestrel:Certificates:Default:Path"] = CertificatePath,
        ["Kestrel:Certificates:Default:KeyPath"] = KeyPath,
    };

    public SocketsHttpHandler Handler() => new() { SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == Thumbprint } };
}
