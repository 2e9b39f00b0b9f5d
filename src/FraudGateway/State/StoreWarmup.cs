using FraudGateway.Observation;

namespace FraudGateway.State;

// Warms the store path in the background after start (IGatewayStore.WarmAsync) and retries until it succeeds;
// /readyz stays 503 until then, so a load balancer sends nothing to a cold instance. Requests that arrive anyway
// are served meanwhile (their store operations get the warm-up timeout, StoreOptions.WarmupTimeoutMs).
internal sealed partial class StoreWarmup(IGatewayStore store, ILogger<StoreWarmup> logger) : BackgroundService
{
    // Wall-clock time between attempts, like every network timeout (not the gateway clock tests move by hand).
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.WarmAsync(stoppingToken);
                var elapsedMs = (long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
                Log.Warm(logger, store.Name, elapsedMs);
                return;
            }
            catch (StoreUnavailableException)
            {
                // Reported by the store itself; requests follow OnStoreFailure until it answers.
            }

            await Task.Delay(RetryDelay, stoppingToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.StoreWarm, EventName = nameof(LogEvents.StoreWarm), Level = LogLevel.Information, Message = "The {Store} store path is warm after {ElapsedMs} ms; /readyz answers ready.")]
        public static partial void Warm(ILogger logger, string store, long elapsedMs);
    }
}
