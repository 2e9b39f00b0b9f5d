using StackExchange.Redis;

namespace FraudGateway.State;

// ISharedFlags on Redis: one string key per flag with its TTL, "<prefix>:{flags}:<name>" (StoreKeys.Flag). A name that
// holds a subject's HMAC is found and removed by that subject's erasure (every key naming the HMAC).
internal sealed class RedisSharedFlags(IConnectionMultiplexer redis, StoreOptions options) : ISharedFlags
{
    private readonly StoreKeys _keys = new(options.KeyPrefix);
    private readonly TimeSpan _timeout = TimeSpan.FromMilliseconds(Math.Max(options.OperationTimeoutMs, options.WarmupTimeoutMs));

    public async ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        await Guard("flag-get", redis.GetDatabase().StringGetAsync(_keys.Flag(name)), cancellationToken) is { IsNull: false } value ? value.ToString() : null;

    public Task SetAsync(string name, string value, TimeSpan ttl, CancellationToken cancellationToken) =>
        Guard("flag-set", redis.GetDatabase().StringSetAsync(_keys.Flag(name), value, ttl), cancellationToken);

    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        Guard("flag-remove", redis.GetDatabase().KeyDeleteAsync(_keys.Flag(name)), cancellationToken);

    private async Task<T> Guard<T>(string operation, Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(_timeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new StoreUnavailableException(operation, e);
        }
    }
}
