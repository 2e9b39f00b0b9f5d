using FraudGateway.State;

namespace FraudGateway;

// Drops expired records from every in-process structure every Interval, on the injected clock. The structures also
// sweep as they are used; this is what bounds them on an idle instance.
internal sealed class MemorySweeper(TimeProvider time, IEnumerable<IAgedState> states) : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => SweepAll(), null, Interval, Interval);
        return Task.CompletedTask;
    }

    public void SweepAll()
    {
        var now = time.GetUtcNow();
        foreach (var state in states)
        {
            state.SweepExpired(now);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();
}
