using System.Diagnostics.Metrics;
using FraudGateway.Observation;

namespace FraudGateway.State;

// fraudgateway.bans.active: live bans in the store, on every scrape. The callback never waits on the store: it
// reports the last count and, when that is older than RefreshEvery, starts a new count in the background (so a
// value lags by at most one scrape interval, and a slow Redis cannot stall /metrics).
internal sealed class BanGauge : IHostedService
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);
    private readonly IGatewayStore _store;
    private readonly IMeterFactory _meters;
    private readonly TimeProvider _time;
    private long _count = -1;
    private long _refreshedAt;
    private int _refreshing;

    public BanGauge(IGatewayStore store, IMeterFactory meters, TimeProvider time)
    {
        _store = store;
        _meters = meters;
        _time = time;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _meters.Create(GatewayMetrics.MeterName).CreateObservableGauge("fraudgateway.bans.active", Observe, unit: "{ban}", description: "Live bans in the store (refreshed at most every 10 s).");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Observe()
    {
        var refreshedAt = Volatile.Read(ref _refreshedAt);
        if ((refreshedAt == 0 || _time.GetElapsedTime(refreshedAt) > RefreshEvery) && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = RefreshAsync();
        }

        var count = Volatile.Read(ref _count);
        return count < 0 ? [] : [new Measurement<long>(count)];
    }

    private async Task RefreshAsync()
    {
        try
        {
            Volatile.Write(ref _count, (await _store.ListBansAsync(CancellationToken.None)).Count);
            Volatile.Write(ref _refreshedAt, _time.GetTimestamp());
        }
        catch (StoreUnavailableException)
        {
            // Counted by the store; the last value stays until the store answers.
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }
}
