using Microsoft.AspNetCore.Builder;
using SampleApi;

namespace FraudGateway.IntegrationTests.TestSupport;

// The real SampleApi on real Kestrel, on a free loopback port.
public sealed class SampleApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleApiServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<SampleApiServer> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var app = SampleApiHost.Build(["--urls", url]);
        await app.StartAsync();
        return new SampleApiServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
