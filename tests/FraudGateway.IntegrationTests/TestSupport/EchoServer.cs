using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.IntegrationTests.TestSupport;

// An upstream that keeps every request body it receives, byte for byte, to prove the gateway forwards bodies unchanged,
// and the value of the breached-password header and of X-Client-JA4 each request arrived with (null: none).
public sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoServer(WebApplication app, string url, ConcurrentQueue<byte[]> bodies, ConcurrentQueue<string?> exposed, ConcurrentQueue<string?> ja4)
    {
        Ja4Headers = ja4;
        _app = app;
        Url = url;
        Bodies = bodies;
        ExposedCredentialHeaders = exposed;
    }

    public string Url { get; }

    public ConcurrentQueue<byte[]> Bodies { get; }

    public ConcurrentQueue<string?> ExposedCredentialHeaders { get; }

    public ConcurrentQueue<string?> Ja4Headers { get; }

    public static async Task<EchoServer> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder(["--urls", url]);
        var app = builder.Build();
        var bodies = new ConcurrentQueue<byte[]>();
        var exposed = new ConcurrentQueue<string?>();
        var ja4 = new ConcurrentQueue<string?>();
        // A login API that answers 200 either way and says in its JSON whether the password was right.
        app.MapPost("/json-login", async (HttpContext context) =>
        {
            using var json = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
            var right = json.RootElement.TryGetProperty("password", out var password) && password.GetString() == "right";
            await context.Response.WriteAsJsonAsync(new { success = right, message = right ? "welcome" : "invalid credentials" });
        });
        app.Map("/{**path}", async (HttpContext context) =>
        {
            exposed.Enqueue(context.Request.Headers.TryGetValue("Exposed-Credential-Check", out var value) ? value.ToString() : null);
            ja4.Enqueue(context.Request.Headers.TryGetValue("X-Client-JA4", out var fingerprint) ? fingerprint.ToString() : null);
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            bodies.Enqueue(buffer.ToArray());
            context.Response.StatusCode = 200;
            var name = context.Request.Headers["X-Name"].ToString();
            await context.Response.WriteAsync("received " + buffer.Length + (name.Length == 0 ? "" : "; x-name=" + name));
        });
        await app.StartAsync();
        return new EchoServer(app, url, bodies, exposed, ja4);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
