using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using FraudGateway.Tls;
using Microsoft.Extensions.Configuration;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Tls;

// The gateway terminating TLS itself (Kestrel, a PEM certificate pair from configuration, HTTP/1.1 and HTTP/2 over
// ALPN) fingerprints each client's ClientHello, and a front end's JA4 header is believed from a trusted proxy only.
public sealed class TlsFingerprintTests(Upstreams upstreams) : IClassFixture<Upstreams>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fraudgateway-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Https_clients_get_their_own_fingerprint_in_the_decision_record()
    {
        var upstream = upstreams.SampleApi;
        var certificate = SelfSignedCertificate.Write(_folder);
        var port = FreePort.Next();
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["Record"] = "All" };
        await using var gateway = await GatewayServer.StartAsync(config, builder => builder.Configuration.AddInMemoryCollection(certificate.Settings(port)));

        using var handler = certificate.Handler();
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };
        for (var i = 0; i < 2; i++)
        {
            using var request = Login("alice", "correct-horse-battery", forwardedFor: $"100.64.9.{i + 1}");
            request.Version = i == 0 ? HttpVersion.Version11 : HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // curl, a different TLS stack (OpenSSL), on its own connection.
        var curl = Process.Start(new ProcessStartInfo("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
            "-H", "X-Forwarded-For: 100.64.9.9", "-d", "{\"username\":\"bob\",\"password\":\"x\"}", $"https://127.0.0.1:{port}/api/auth/login"])
        { RedirectStandardOutput = true })!;
        var status = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.NotEqual("000", status);

        var records = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/decisions")).RootElement.GetProperty("decisions")
            .EnumerateArray().Select(d => d.TryGetProperty("ja4", out var ja4) ? ja4.GetString() : null).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, ja4 => Assert.True(ja4 is not null && TlsFingerprint.IsWellFormed(ja4), ja4));
        // Newest first: curl, then HttpClient asking for HTTP/2 only, then for HTTP/1.1 only. HttpClient's two differ in
        // their ALPN offer alone (h2 / none at all, no SNI to an address), so their cipher and extension hashes are one;
        // curl (OpenSSL) is another stack altogether.
        var (curlJa4, http2, http11) = (records[0]!, records[1]!, records[2]!);
        Assert.StartsWith("t13i", http2, StringComparison.Ordinal);
        Assert.Equal("h2", http2[8..10]);
        Assert.Equal("00", http11[8..10]);
        Assert.Equal(http2[10..], http11[10..]);
        Assert.NotEqual(http2[10..], curlJa4[10..]);
    }

    [Fact]
    public async Task A_front_ends_ja4_header_is_believed_from_a_trusted_proxy_only()
    {
        const string header = "CloudFront-Viewer-JA4-Fingerprint";
        const string chrome = "t13d1516h2_8daaf6152771_e5627efa2ab1";
        var upstream = upstreams.SampleApi;
        var config = GatewayConfig.Default(upstream.Url);
        config["FraudGateway"]!["Identity"]!["Ja4Header"] = header;
        config["FraudGateway"]!["Decisions"] = new JsonObject { ["Record"] = "All" };
        await using (var trusted = await GatewayServer.StartAsync(config))
        {
            Assert.Equal(chrome, await RecordedJa4(trusted, header, chrome));
            // Not in JA4's shape: ignored, and said so.
            Assert.Null(await RecordedJa4(trusted, header, "t13d1516h2_8daaf6152771_E5627EFA2AB1"));
        }

        config["FraudGateway"]!["Identity"]!["TrustedProxies"] = new JsonArray();
        await using var untrusted = await GatewayServer.StartAsync(config);
        Assert.Null(await RecordedJa4(untrusted, header, chrome));
        var findings = JsonDocument.Parse(await untrusted.Admin.GetStringAsync("/admin/decisions")).RootElement.GetProperty("decisions")[0].GetProperty("findings");
        Assert.Contains("identity:ja4-header-ignored", findings.EnumerateArray().Select(f => f.GetString()));
    }

    private static async Task<string?> RecordedJa4(GatewayServer gateway, string header, string value)
    {
        using var request = Login("alice", "correct-horse-battery");
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await gateway.Public.SendAsync(request);
        var id = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.First() : null;
        var latest = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/decisions")).RootElement.GetProperty("decisions")[0];
        Assert.True(id is null || latest.GetProperty("requestId").GetString() == id);
        return latest.TryGetProperty("ja4", out var ja4) ? ja4.GetString() : null;
    }

    // The fingerprint can go upstream in a header of the operator's choosing; a client's own never does.
    [Fact]
    public async Task The_upstream_gets_the_fingerprint_in_the_configured_header_and_never_the_clients()
    {
        var echo = upstreams.Echo;
        var config = GatewayConfig.Default(echo.Url);
        config["FraudGateway"]!["Identity"]!["Ja4Header"] = "CloudFront-Viewer-JA4-Fingerprint";
        config["FraudGateway"]!["Identity"]!["Ja4UpstreamHeader"] = "X-Client-JA4";
        config["FraudGateway"]!["Policies"]!["echo"] = new JsonObject();
        config["ReverseProxy"]!["Routes"]!["echo"] = GatewayConfig.Route("/echo/{**rest}", "echo");
        await using var gateway = await GatewayServer.StartAsync(config);
        const string chrome = "t13d1516h2_8daaf6152771_e5627efa2ab1";
        var before = echo.Ja4Headers.Count;

        foreach (var (front, forged) in new (string?, string?)[] { (chrome, null), (null, "t13d0000h2_000000000000_000000000000"), (chrome, "forged") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/echo/x") { Content = new StringContent("{}") };
            if (front is not null)
            {
                request.Headers.TryAddWithoutValidation("CloudFront-Viewer-JA4-Fingerprint", front);
            }

            if (forged is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Client-JA4", forged);
            }

            Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(request)).StatusCode);
        }

        Assert.Equal(new string?[] { chrome, null, chrome }, echo.Ja4Headers.Skip(before).ToArray());
    }
}
