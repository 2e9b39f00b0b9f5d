using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using FraudGateway.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FraudGateway.Trainer.Capture;

// The small endpoint that records what real client software sends (scripts/capture-client-headers.sh drives curl,
// wget, Python, Node, Go, .NET, Java, Playwright and real browsers at it). It listens on loopback only and refuses
// any peer that is not loopback, so it can never collect a stranger's headers. Every request to
// /capture/{client}/{request}?version=... becomes one JSONL line: the client, its version, the request kind, the
// method and every header as sent, with the loopback host and origin replaced by placeholders (nothing of this
// machine in the corpus). GET /page/{client} serves a page whose script does a fetch() JSON POST and then a form POST,
// as a login page would, for browsers (three requests). GET /count answers how many requests were recorded.
// With tls (scripts/capture-client-headers.sh --tls) it speaks HTTPS (the given certificate, else a self-signed one made
// at start), and each line also holds the connection's JA4, computed from the client's ClientHello as the gateway does.
public sealed class HeaderCaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StreamWriter _out;
    private readonly object _lock = new();
    private int _count;

    private HeaderCaptureServer(WebApplication app, StreamWriter output)
    {
        _app = app;
        _out = output;
    }

    public string Url => _app.Urls.First();

    public int Count => Volatile.Read(ref _count);

    // certificate: a PEM pair (certificate path, key path) for tls, else a self-signed one made here.
    public static async Task<HeaderCaptureServer> StartAsync(int port, string outputPath, bool tls = false, (string Certificate, string Key)? certificate = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        var output = new StreamWriter(new FileStream(outputPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            if (tls)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate is { } pem ? X509Certificate2.CreateFromPemFile(pem.Certificate, pem.Key) : SelfSigned();
                    https.TlsClientHelloBytesCallback = static (connection, hello) => connection.Items[Ja4Item] = Ja4.Compute(hello.ToArray());
                });
            }
        }));
        var app = builder.Build();
        var server = new HeaderCaptureServer(app, output);
        app.Use(async (context, next) =>
        {
            if (!IsLoopback(context.Connection.RemoteIpAddress))
            {
                await Refuse(context);
                return;
            }

            await next(context);
        });
        app.MapGet("/count", () => Results.Text(server.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        app.MapGet("/page/{client}", (string client, string? version) => Results.Content(LoginPage(client, version ?? ""), "text/html; charset=utf-8"));
        app.Map("/capture/{client}/{request}", async (HttpContext context, string client, string request, string? version) =>
        {
            // The body is read (clients wait for it to be consumed) and dropped: only its length is kept.
            var length = 0L;
            var buffer = new byte[8192];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                length += read;
            }

            server.Record(context.Request, client, request, version, length);
            return request == "form" ? Results.Content("<!doctype html><title>done</title><p id=done>done</p>", "text/html") : Results.Json(new { ok = true });
        });
        await app.StartAsync();
        return server;
    }

    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    // Answers a non-loopback peer: 403 problem+json, nothing recorded.
    public static Task Refuse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync("""{"type":"urn:fraudgateway:problem:capture-loopback-only","title":"The header capture endpoint only answers loopback clients.","status":403}""");
    }

    private void Record(HttpRequest request, string client, string kind, string? version, long bodyLength)
    {
        var host = request.Host.Value ?? "";
        var origin = $"{request.Scheme}://{host}";
        var headers = new List<string[]>();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                var text = value ?? "";
                text = text.Replace(origin, "{origin}", StringComparison.Ordinal).Replace(host, "{host}", StringComparison.Ordinal);
                headers.Add([name, text]);
            }
        }

        var ja4 = request.HttpContext.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items.TryGetValue(Ja4Item, out var item) == true ? item as string : null;
        var line = JsonSerializer.Serialize(new CapturedRequest(client, version ?? "", kind, request.Method, bodyLength, headers) { Ja4 = ja4 });
        lock (_lock)
        {
            _out.WriteLine(line);
            _count++;
        }
    }

    private const string Ja4Item = "ja4";

    // A loopback certificate for this run only (clients are told not to verify it: verification does not change their
    // ClientHello).
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private static string LoginPage(string client, string version)
    {
        var c = Uri.EscapeDataString(client);
        var v = Uri.EscapeDataString(version);
        return $$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Sign in</title></head>
            <body>
            <form id="login" method="post" action="/capture/{{c}}/form?version={{v}}">
              <input name="username" value="alice"><input name="password" type="password" value="correct-horse-battery">
              <button type="submit">Sign in</button>
            </form>
            <script>
              // A plain fetch(), then one as front-end HTTP libraries send it (their Accept), then the form.
              const body = JSON.stringify({ username: 'alice', password: 'correct-horse-battery' });
              fetch('/capture/{{c}}/fetch?version={{v}}', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
                .then(() => fetch('/capture/{{c}}/fetch-library?version={{v}}', {
                  method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, text/plain, */*' }, body }))
                .finally(() => document.getElementById('login').submit());
            </script>
            </body></html>
            """;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _out.DisposeAsync();
    }
}

// One line of data/client-headers/captured.jsonl.
// Ja4: the connection's TLS fingerprint, in captures over HTTPS (data/tls-clients/captured.jsonl) only.
public sealed record CapturedRequest(string Client, string Version, string Request, string Method, long BodyLength, List<string[]> Headers)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ja4 { get; init; }
}
