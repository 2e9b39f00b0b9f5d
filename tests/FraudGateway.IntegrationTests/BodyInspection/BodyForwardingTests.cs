using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FraudGateway.IntegrationTests.TestSupport;

namespace FraudGateway.IntegrationTests.BodyInspection;

// Bodies the gateway inspects reach the upstream byte for byte; bodies it cannot use are refused or passed through.
public sealed class BodyForwardingTests(Upstreams upstreams) : IClassFixture<Upstreams>, IAsyncLifetime
{
    private const int Limit = 1024;
    private GatewayServer _reject = null!;
    private GatewayServer _passThrough = null!;

    public async Task InitializeAsync()
    {
        _reject = await GatewayServer.StartAsync(Config("Reject"));
        _passThrough = await GatewayServer.StartAsync(Config("PassThrough"));
    }

    public async Task DisposeAsync()
    {
        await _reject.DisposeAsync();
        await _passThrough.DisposeAsync();
    }

    private JsonObject Config(string onInvalid)
    {
        var config = GatewayConfig.Default(upstreams.Echo.Url);
        config["FraudGateway"]!["Policies"]!["inspect"] = new JsonObject
        {
            ["BodyInspection"] = new JsonObject
            {
                ["MaxBodyBytes"] = Limit, ["AccountField"] = "username", ["MessageField"] = "message", ["HoneypotField"] = "website", ["OnInvalidBody"] = onInvalid,
            },
        };
        config["ReverseProxy"]!["Routes"]!["echo"] = GatewayConfig.Route("/echo/{**rest}", "inspect");
        return config;
    }

    private async Task<(HttpStatusCode Status, byte[]? Received)> SendAsync(GatewayServer gateway, HttpContent content)
    {
        var before = upstreams.Echo.Bodies.Count;
        var response = await gateway.Public.PostAsync("/echo/x", content);
        var received = upstreams.Echo.Bodies.Count > before ? upstreams.Echo.Bodies.Last() : null;
        return (response.StatusCode, received);
    }

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Fact]
    public async Task Json_ReachesUpstreamUnchanged()
    {
        var body = Encoding.UTF8.GetBytes("""{ "username" : "Ａlice", "password":"p\u00e4ss", "nested": {"a":[1,2,{"b":null}]}, "message":"hi"}""");

        var (status, received) = await SendAsync(_reject, Bytes(body, "application/json; charset=utf-8"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(body, received);
    }

    [Fact]
    public async Task Form_ReachesUpstreamUnchanged()
    {
        var body = Encoding.ASCII.GetBytes("username=alice%40example.org&password=a+b%26c&message=hello+world");

        var (status, received) = await SendAsync(_reject, Bytes(body, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(body, received);
    }

    [Fact]
    public async Task ChunkedUpload_ReachesUpstreamUnchanged()
    {
        var body = Encoding.UTF8.GetBytes("{\"username\":\"alice\",\"message\":\"" + new string('m', 700) + "\"}");
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var request = new HttpRequestMessage(HttpMethod.Post, "/echo/x") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var before = upstreams.Echo.Bodies.Count;
        var response = await _reject.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, upstreams.Echo.Bodies.Skip(before).Single());
    }

    [Fact]
    public async Task BodyOfExactlyTheLimit_PassesAndOneByteMoreIsRefused()
    {
        static byte[] Of(int size)
        {
            var prefix = "{\"username\":\"alice\",\"message\":\"";
            return Encoding.ASCII.GetBytes(prefix + new string('x', size - prefix.Length - 2) + "\"}");
        }

        var exact = await SendAsync(_reject, Bytes(Of(Limit), "application/json"));
        var over = await SendAsync(_reject, Bytes(Of(Limit + 1), "application/json"));

        Assert.Equal(HttpStatusCode.OK, exact.Status);
        Assert.Equal(Of(Limit), exact.Received);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.Status);
        Assert.Null(over.Received);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadBodies => new()
    {
        { "{\"username\": \"alice\",", "application/json", HttpStatusCode.BadRequest, "malformed-body" },
        { "not json at all", "application/json", HttpStatusCode.BadRequest, "malformed-body" },
        { "<xml/>", "application/xml", HttpStatusCode.UnsupportedMediaType, "unsupported-content-type" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBody_RejectMode_Gets4xxProblem_PassThroughMode_ForwardsItUnchanged(string body, string contentType, HttpStatusCode status, string slug)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var rejected = await _reject.Public.PostAsync("/echo/x", Bytes(bytes, contentType));
        var passed = await SendAsync(_passThrough, Bytes(bytes, contentType));

        await rejected.AssertProblemAsync(status, slug);
        Assert.Equal(HttpStatusCode.OK, passed.Status);
        Assert.Equal(bytes, passed.Received);
    }

    [Fact]
    public async Task InvalidUtf8_RejectMode_Gets400_PassThroughForwardsItUnchanged()
    {
        byte[] bytes = [(byte)'{', (byte)'"', (byte)'u', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];

        var rejected = await _reject.Public.PostAsync("/echo/x", Bytes(bytes, "application/json"));
        var passed = await SendAsync(_passThrough, Bytes(bytes, "application/json"));

        await rejected.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed-body");
        Assert.Equal(bytes, passed.Received);
    }

    [Fact]
    public async Task OverLimit_PassThrough_ForwardsTheWholeBodyUnchanged()
    {
        var bytes = Encoding.ASCII.GetBytes("{\"message\":\"" + new string('x', 5000) + "\"}");

        var passed = await SendAsync(_passThrough, Bytes(bytes, "application/json"));

        Assert.Equal(HttpStatusCode.OK, passed.Status);
        Assert.Equal(bytes, passed.Received);
    }

    [Fact]
    public async Task Honeypot_Filled_Gets403SpamDetectedAndNothingReachesTheUpstream()
    {
        var bytes = Encoding.ASCII.GetBytes("username=bot&message=buy+now&website=http%3A%2F%2Fspam.example");

        var before = upstreams.Echo.Bodies.Count;
        var response = await _reject.Public.PostAsync("/echo/x", Bytes(bytes, "application/x-www-form-urlencoded"));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "spam-detected");
        Assert.Equal(before, upstreams.Echo.Bodies.Count);
    }
}
