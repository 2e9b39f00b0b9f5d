using System.Net.Http.Json;
using CaptchaSimulator;
using Microsoft.AspNetCore.Builder;

namespace FraudGateway.IntegrationTests.TestSupport;

// The real captcha simulator on Kestrel, on a free loopback port.
public sealed class CaptchaSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private CaptchaSimulatorServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        _client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public static async Task<CaptchaSimulatorServer> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var app = CaptchaSimulatorHost.Build(["--urls", url]);
        await app.StartAsync();
        return new CaptchaSimulatorServer(app, url);
    }

    public async Task<long> CallsAsync() => (await _client.GetFromJsonAsync<Stats>("/_simulator/stats"))!.Calls;

    public async Task<long> CallsWithRemoteIpAsync() => (await _client.GetFromJsonAsync<Stats>("/_simulator/stats"))!.CallsWithRemoteIp;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Stats(long Calls, long CallsWithRemoteIp);
}
