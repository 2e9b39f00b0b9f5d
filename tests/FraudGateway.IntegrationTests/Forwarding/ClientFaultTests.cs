using System.Text;
using FraudGateway.IntegrationTests.TestSupport;

namespace FraudGateway.IntegrationTests.Forwarding;

// Requests no upstream can be sent are the client's fault and answered by the gateway with problem+json, never
// blamed on the upstream (502) or left as an empty 404; the upstream sees none of them.
public sealed class ClientFaultTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private GatewayServer _gateway = null!;

    // The shared echo upstream's body count when this test began: what it received since is this test's.
    private int _bodiesBefore;

    public async Task InitializeAsync()
    {
        _bodiesBefore = upstreams.Echo.Bodies.Count;
        var config = GatewayConfig.Default(upstreams.Echo.Url);
        config["ReverseProxy"]!["Routes"]!["echo"] = GatewayConfig.Route("/echo/{**rest}", null);
        _gateway = await GatewayServer.StartAsync(config);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80")]
    [InlineData("TRACE /echo/x HTTP/1.1\r\nHost: 127.0.0.1")]
    public async Task TunnelAndTraceMethods_Are405Problems(string head)
    {
        var (status, type, text) = await RawHttp.SendAsync(_gateway.PublicUrl, Encoding.ASCII.GetBytes(head + "\r\nConnection: close\r\n\r\n"));

        Assert.Equal(405, status);
        Assert.Equal("urn:fraudgateway:problem:method-not-allowed", type);
        Assert.Contains("Allow: ", text, StringComparison.Ordinal);
        Assert.Equal(_bodiesBefore, upstreams.Echo.Bodies.Count);
    }

    [Fact]
    public async Task NonAsciiHeaderValue_IsForwardedByteForByte()
    {
        var (status, _, text) = await RawHttp.SendAsync(_gateway.PublicUrl, RawHttp.Request("POST /echo/x HTTP/1.1", ["X-Name: Jürgen", "Content-Length: 2"], "{}"u8.ToArray()));

        Assert.Equal(200, status);
        Assert.Contains("x-name=Jürgen", text, StringComparison.Ordinal); // the UTF-8 bytes as sent: the upstream decodes them
        Assert.Equal(_bodiesBefore + 1, upstreams.Echo.Bodies.Count);
    }

    [Theory]
    [InlineData(@"/api/..\..\ping")]
    [InlineData("/wp-login.php")]
    [InlineData("/favicon.ico")]
    public async Task UnknownPathsWithDotsOrBackslashes_AreRouteNotFoundProblems(string path)
    {
        var (status, type, _) = await RawHttp.SendAsync(_gateway.PublicUrl, RawHttp.Request($"GET {path} HTTP/1.1", []));

        Assert.Equal(404, status);
        Assert.Equal("urn:fraudgateway:problem:route-not-found", type);
    }

    [Fact]
    public async Task AsciiHeaders_StillReachTheUpstream()
    {
        var (status, _, text) = await RawHttp.SendAsync(_gateway.PublicUrl, RawHttp.Request("POST /echo/x HTTP/1.1", ["X-Name: Juergen", "Content-Length: 2"], Encoding.ASCII.GetBytes("{}")));

        Assert.Equal(200, status);
        Assert.Contains("received 2", text, StringComparison.Ordinal);
    }
}
