using System.Text;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace FraudGateway.IntegrationTests.BodyInspection;

// A client's malformed request on an inspected route is the client's fault: a 4xx problem+json with a stable type,
// logged at Information without a stack trace, and the upstream sees nothing. Sent over a raw socket, since chunk
// framing cannot be produced with HttpClient.
public sealed class MalformedRequestTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private GatewayServer _gateway = null!;

    // The shared echo upstream's body count when this test began: what it received since is this test's.
    private int _bodiesBefore;

    public async Task InitializeAsync()
    {
        _bodiesBefore = upstreams.Echo.Bodies.Count;
        var config = GatewayConfig.Default(upstreams.Echo.Url);
        config["FraudGateway"]!["Policies"]!["inspect"] = new JsonObject
        {
            // PassThrough: a body the gateway could read but not use would be forwarded; a broken one cannot be.
            ["BodyInspection"] = new JsonObject { ["MaxBodyBytes"] = 4096, ["AccountField"] = "username", ["MessageField"] = "message", ["OnInvalidBody"] = "PassThrough" },
        };
        config["FraudGateway"]!["Policies"]!["strict"] = new JsonObject
        {
            ["BodyInspection"] = new JsonObject { ["MaxBodyBytes"] = 4096, ["MessageField"] = "message", ["OnInvalidBody"] = "Reject" },
        };
        config["ReverseProxy"]!["Routes"]!["echo"] = GatewayConfig.Route("/echo/{**rest}", "inspect");
        config["ReverseProxy"]!["Routes"]!["contact-echo"] = GatewayConfig.Route("/contact/{**rest}", "strict");
        _gateway = await GatewayServer.StartAsync(config, b =>
        {
            b.Logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information);
            // A body slower than 100 bytes/s after its first 1.5 s is too slow (Kestrel's own check).
            b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(100, TimeSpan.FromSeconds(1.5)));
        });
    }

    public void Dispose() => _logs.Dispose();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    public static TheoryData<string, string> BrokenChunks => new()
    {
        { "invalid size", "zz\r\nhello\r\n0\r\n\r\n" },
        { "negative size", "-5\r\nhello\r\n0\r\n\r\n" },
        { "overflowing size", "FFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n" },
        { "64-bit wrapping size", "10000000000000005\r\nhello\r\n0\r\n\r\n" },
        { "leading space", " 5\r\nhello\r\n0\r\n\r\n" },
        { "0x prefix", "0x5\r\nhello\r\n0\r\n\r\n" },
        { "empty size", "\r\nhello\r\n0\r\n\r\n" },
        { "missing CRLF after data", "5\r\nhello0\r\n\r\n" },
        { "data longer than size", "3\r\nhello\r\n0\r\n\r\n" },
        { "LF-only lines", "5\nhello\n0\n\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenChunks))]
    public async Task BrokenChunkedBody_Is400MalformedBody_LoggedAsClientFault_UpstreamSeesNothing(string name, string chunks)
    {
        var (status, type) = await SendAsync("/echo/login", "application/json", chunked: true, Encoding.ASCII.GetBytes(chunks));

        Assert.True(status == 400, $"{name}: {status} {type}");
        Assert.Equal("urn:fraudgateway:problem:malformed-body", type);
        AssertClientFaultOnly();
    }

    [Fact]
    public async Task HugeTrailer_Is4xxProblem_NotA503()
    {
        var trailer = "X-Trailer: " + new string('a', 40_000) + "\r\n";
        var (status, type) = await SendAsync("/echo/login", "application/json", chunked: true, Encoding.ASCII.GetBytes("2\r\n{}\r\n0\r\n" + trailer + "\r\n"));

        Assert.InRange(status, 400, 499);
        Assert.StartsWith("urn:fraudgateway:problem:", type);
        AssertClientFaultOnly();
    }

    // Kestrel decides when a body is too slow; the gateway answers 408 request-timeout instead of 503.
    [Fact]
    public async Task BodySlowerThanTheMinimumRate_Is408RequestTimeout()
    {
        var (status, type, _) = await RawHttp.SendAsync(_gateway.PublicUrl, RawHttp.Request("POST /echo/login HTTP/1.1",
            ["Content-Type: application/json", "Content-Length: 1000"], "{\"username\":"u8.ToArray()));

        Assert.Equal(408, status);
        Assert.Equal("urn:fraudgateway:problem:request-timeout", type);
        AssertClientFaultOnly();
    }

    [Fact]
    public async Task JsonWithALoneSurrogate_Is400MalformedBody()
    {
        var (status, type) = await SendAsync("/contact/send", "application/json", chunked: false, Encoding.UTF8.GetBytes("""{"message":"\ud800 hi"}"""));

        Assert.Equal(400, status);
        Assert.Equal("urn:fraudgateway:problem:malformed-body", type);
        AssertClientFaultOnly();
    }

    private void AssertClientFaultOnly()
    {
        Assert.Equal(_bodiesBefore, upstreams.Echo.Bodies.Count);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private async Task<(int Status, string? Type)> SendAsync(string path, string contentType, bool chunked, byte[] body)
    {
        var (status, type, _) = await RawHttp.SendAsync(_gateway.PublicUrl, RawHttp.Request($"POST {path} HTTP/1.1",
            [$"Content-Type: {contentType}", chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {body.Length}"], body));
        return (status, type);
    }
}
