using System.Net.Http.Json;
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

    // Signs an account up unless it already is (an earlier test of the collection did): 201 or 409, nothing else.
    public async Task EnsureUserAsync(string username, string password)
    {
        using var client = new HttpClient { BaseAddress = new Uri(Url) };
        var response = await client.PostAsJsonAsync("/api/auth/signup", new { username, password });
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
