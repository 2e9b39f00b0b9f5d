using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Observation;

// The ban gauge (fraudgateway.bans.active) on /metrics. It carries no policy tag, and meters are process-wide: while
// gateways of other tests run in the same process, the exporter may read another gateway's gauge of the same name,
// which has not counted yet (a gauge reports once its first count is in). So this test runs alone, after the parallel
// ones. Its count is checked in BanGaugeTests.
[Collection(Name)]
public class BanGaugeExportTests(Upstreams upstreams)
{
    public const string Name = "metrics, no other gateway running";

    [Fact]
    public async Task The_ban_gauge_is_exported()
    {
        var upstream = upstreams.SampleApi;
        await using var gateway = await GatewayServer.StartAsync(GatewayConfig.Default(upstream.Url));

        await EventuallyAsync(async () => (await gateway.Management.GetStringAsync("/metrics")).Contains("fraudgateway_bans_active", StringComparison.Ordinal), "fraudgateway_bans_active");
    }
}

[CollectionDefinition(BanGaugeExportTests.Name, DisableParallelization = true)]
public sealed class AloneCollection : ICollectionFixture<Upstreams>;
