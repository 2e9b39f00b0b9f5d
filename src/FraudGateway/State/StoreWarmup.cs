namespace FraudGateway.State;

// One counters round trip before the first request: loads the Lua script into Redis and compiles the request path,
// so a cold instance does not spend its first requests' store timeout on that (and fail them closed). The call
// touches no key (a group with no ban and no limit).
internal sealed class StoreWarmup(IGatewayStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CountAsync(new CounterRequest([new CounterGroup(StoreKeys.WarmupTag)], 0), cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // Reported by the store itself; requests follow OnStoreFailure until it answers.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
