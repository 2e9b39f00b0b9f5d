using System.Text.Json;
using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// Bans on Redis: one string per subject (its JSON, ExpiresAt inside; the TTL only collects garbage) and a sorted set
// indexing the live ones for the admin list. Commands issued together are pipelined by StackExchange.Redis on one
// connection, so FindBanAsync's two GETs cost one round trip.
internal sealed class RedisBans(RedisStoreCore core) : IBanStore
{
    public async ValueTask<BanRecord?> FindBanAsync(BanSubject address, BanSubject prefix, CancellationToken cancellationToken)
    {
        var db = core.Redis.GetDatabase();
        var byAddress = db.StringGetAsync(core.Keys.Ban(address));
        var byPrefix = db.StringGetAsync(core.Keys.Ban(prefix));
        await core.Guard("find-ban", Task.WhenAll(byAddress, byPrefix), core.RequestTimeout(), cancellationToken);
        return core.Live(byAddress.Result) ?? core.Live(byPrefix.Result);
    }

    public async Task AddBanAsync(BanRecord record, CancellationToken cancellationToken)
    {
        var now = core.Time.GetUtcNow();
        var ttl = record.ExpiresAt - now;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var db = core.Redis.GetDatabase();
        var json = JsonSerializer.Serialize(StoredBan.From(record), StoreJsonContext.Default.StoredBan);
        // The index entry goes first: a ban visible to lookups is then always visible to the admin list.
        await core.Guard("add-ban", db.ScriptEvaluateAsync(LuaScripts.BanIndexAdd, [core.Keys.BanIndex], [record.Subject.Token, record.ExpiresAt.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()]), core.AdminTimeout, cancellationToken);
        await core.Guard("add-ban", db.StringSetAsync(core.Keys.Ban(record.Subject), json, ttl), core.AdminTimeout, cancellationToken);
    }

    public async Task<bool> RemoveBanAsync(BanSubject subject, CancellationToken cancellationToken)
    {
        var db = core.Redis.GetDatabase();
        var existing = db.StringGetDeleteAsync(core.Keys.Ban(subject));
        var unindexed = db.SortedSetRemoveAsync(core.Keys.BanIndex, subject.Token);
        await core.Guard("remove-ban", Task.WhenAll(existing, unindexed), core.AdminTimeout, cancellationToken);
        return core.Live(existing.Result) is not null;
    }

    public async Task<IReadOnlyList<BanRecord>> ListBansAsync(CancellationToken cancellationToken)
    {
        var db = core.Redis.GetDatabase();
        var now = core.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var tokensTask = db.ScriptEvaluateAsync(LuaScripts.BanIndexLive, [core.Keys.BanIndex], [now]);
        await core.Guard("list-bans", tokensTask, core.AdminTimeout, cancellationToken);
        var tokens = (RedisValue[]?)tokensTask.Result ?? [];
        var subjects = tokens.Select(t => BanSubject.TryParseToken(t.ToString(), out var s) ? s : (BanSubject?)null).OfType<BanSubject>().ToArray();
        var reads = subjects.Select(s => db.StringGetAsync(core.Keys.Ban(s))).ToArray();
        await core.Guard("list-bans", Task.WhenAll(reads), core.AdminTimeout, cancellationToken);
        return reads.Select(r => core.Live(r.Result)).OfType<BanRecord>().ToList();
    }

    // Approximate counting's ban cache: the ban keys of many subjects, one MGET per 256 on a single Redis, one GET
    // each on Redis Cluster, pipelined. On the request path within the request timeout; the background refresh gets
    // the admin timeout (it may read thousands).
    public async Task<BanRecord?[]> ReadBansAsync(IReadOnlyList<BanSubject> subjects, bool onRequestPath, CancellationToken cancellationToken)
    {
        var timeout = onRequestPath ? core.RequestTimeout() : core.AdminTimeout;
        var db = core.Redis.GetDatabase();
        var values = new RedisValue[subjects.Count];
        if (core.IsStandalone())
        {
            var reads = subjects.Chunk(256).Select(part => db.StringGetAsync(part.Select(core.Keys.Ban).ToArray())).ToArray();
            var answers = await core.Guard("read-bans", Task.WhenAll(reads), timeout, cancellationToken);
            answers.SelectMany(a => a).ToArray().CopyTo(values, 0);
        }
        else
        {
            var reads = subjects.Select(subject => db.StringGetAsync(core.Keys.Ban(subject))).ToArray();
            (await core.Guard("read-bans", Task.WhenAll(reads), timeout, cancellationToken)).CopyTo(values, 0);
        }

        var now = core.Time.GetUtcNow();
        return values.Select(value => core.Live(value, now)).ToArray();
    }
}
