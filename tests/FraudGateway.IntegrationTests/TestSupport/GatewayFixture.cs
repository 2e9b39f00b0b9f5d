namespace FraudGateway.IntegrationTests.TestSupport;

// One SampleApi and one gateway (default configuration, in-memory store) shared by a test class.
public sealed class GatewayFixture : IAsyncLifetime
{
    public SampleApiServer Upstream { get; private set; } = null!;

    public GatewayServer Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await SampleApiServer.StartAsync();
        Gateway = await GatewayServer.StartAsync(GatewayConfig.Default(Upstream.Url));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
