using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// Single-use claims on Redis: SET NX with the claimant as value and the claim's lifetime as TTL.
internal sealed class RedisClaims(RedisStoreCore core) : IClaimStore
{
    public async ValueTask<bool> TryClaimOnceAsync(string id, string claimant, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var db = core.Redis.GetDatabase();
        var key = core.Keys.Claim(id);
        var set = db.StringSetAsync(key, claimant, ttl, When.NotExists);
        await core.Guard("claim", set, core.RequestTimeout(), cancellationToken);
        if (set.Result)
        {
            return true;
        }

        var holder = db.StringGetAsync(key);
        await core.Guard("claim", holder, core.RequestTimeout(), cancellationToken);
        return holder.Result == claimant;
    }

    public async Task ReleaseClaimAsync(string id, string claimant, CancellationToken cancellationToken) =>
        await core.Guard("release-claim", core.Redis.GetDatabase().ScriptEvaluateAsync(LuaScripts.ClaimRelease, [core.Keys.Claim(id)], [claimant]), core.RequestTimeout(), cancellationToken);
}
