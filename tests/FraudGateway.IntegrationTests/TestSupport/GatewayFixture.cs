namespace FraudGateway.IntegrationTests.TestSupport;

// The collection's upstreams and one gateway in front of their SampleApi (default configuration, in-memory store),
// shared by a test class.
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly Upstreams _upstreams = new();

    public SampleApiServer Upstream => _upstreams.SampleApi;

    public GatewayServer Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _upstreams.InitializeAsync();
        Gateway = await GatewayServer.StartAsync(GatewayConfig.Default(Upstream.Url));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await _upstreams.DisposeAsync();
    }
}
