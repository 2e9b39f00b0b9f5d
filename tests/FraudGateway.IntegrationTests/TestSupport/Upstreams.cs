namespace FraudGateway.IntegrationTests.TestSupport;

/// <summary>
/// The real upstreams a collection's tests put the gateway in front of, started once for the collection and shared
/// by its tests: the SampleApi, the echo upstream and the captcha simulator. A test class that is its own collection
/// takes it as an <c>IClassFixture</c>; the Redis collections hold it as a collection fixture next to the server.
/// Tests in one collection run one after another, so a test that counts what an upstream saw (the simulator's calls,
/// the echo's bodies) reads the count before and after its own requests, and a test that needs an account signs it
/// up idempotently (<see cref="SampleApiServer.EnsureUserAsync"/>). Each test still starts its own gateway with its
/// own configuration.
/// </summary>
public sealed class Upstreams : IAsyncLifetime
{
    public SampleApiServer SampleApi { get; private set; } = null!;

    public EchoServer Echo { get; private set; } = null!;

    public CaptchaSimulatorServer Simulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var sampleApi = SampleApiServer.StartAsync();
        var echo = EchoServer.StartAsync();
        var simulator = CaptchaSimulatorServer.StartAsync();
        SampleApi = await sampleApi;
        Echo = await echo;
        Simulator = await simulator;
    }

    public async Task DisposeAsync()
    {
        await SampleApi.DisposeAsync();
        await Echo.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
