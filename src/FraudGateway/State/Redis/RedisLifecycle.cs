using StackExchange.Redis;

namespace FraudGateway.State.Redis;

// Readiness and warm-up of the Redis store: before /readyz says ready, a connection to every endpoint, every script
// loaded on every primary and the counters call run on every shard; after a reconnection, the scripts again.
internal sealed class RedisLifecycle : IStoreLifecycle
{
    private readonly RedisStoreCore _core;
    private readonly RedisCounting _counting;

    public RedisLifecycle(RedisStoreCore core, RedisCounting counting)
    {
        _core = core;
        _counting = counting;
        // A restored connection is cold again (a restarted Redis has lost its scripts too): the scripts are loaded
        // again in the background and the warm-up timeout applies afresh, so the first burst after an outage is
        // counted like the first burst after a start.
        core.Redis.ConnectionRestored += (_, _) => _ = RewarmAsync();
    }

    public string Name => "redis";

    // No NOSCRIPT round trip on a first request, and the counters call run on every shard, once alone and then as
    // concurrent calls the batcher combines, so that code is compiled too. The calls read a ban flag that never
    // exists and write nothing.
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        var servers = _core.Redis.GetServers();
        if (servers.Length == 0 || !servers.All(server => server.IsConnected))
        {
            throw new StoreUnavailableException("warm-up", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not every Redis endpoint is connected yet."));
        }

        var primaries = servers.Where(server => !server.IsReplica).ToArray();
        foreach (var primary in primaries)
        {
            foreach (var script in LuaScripts.All)
            {
                await _core.Guard("warm-up", primary.ScriptLoadAsync(script), _core.AdminTimeout, cancellationToken);
            }
        }

        var request = new CounterRequest(WarmupGroups(primaries), 0);
        await _counting.CountAsync(request, _core.AdminTimeout, cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => _counting.CountAsync(request, _core.AdminTimeout, cancellationToken).AsTask()));
        _core.MarkWarm();
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (!_core.IsWarm)
        {
            return false;
        }

        try
        {
            await _core.Guard("ping", _core.Redis.GetDatabase().PingAsync(), _core.AdminTimeout, cancellationToken);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    private async Task RewarmAsync()
    {
        if (!_core.IsWarm)
        {
            return;
        }

        _core.RestartWarmup();
        try
        {
            foreach (var primary in _core.Redis.GetServers().Where(server => !server.IsReplica && server.IsConnected))
            {
                foreach (var script in LuaScripts.All)
                {
                    await _core.Guard("warm-up", primary.ScriptLoadAsync(script), _core.AdminTimeout, CancellationToken.None);
                }
            }
        }
        catch (StoreUnavailableException)
        {
            // Counted and logged by Guard; a script the server lacks is loaded by its first call instead.
        }
    }

    // One group per shard: a ban flag under a hash tag whose slot that primary serves (one group on a single Redis).
    private List<CounterGroup> WarmupGroups(IServer[] primaries)
    {
        var cluster = primaries.Select(primary => primary.ClusterConfiguration).FirstOrDefault(config => config is not null);
        var wanted = cluster?.Nodes.Where(node => !node.IsReplica && node.Slots.Count > 0).Select(node => node.NodeId).ToHashSet() ?? [];
        var groups = new List<CounterGroup>();
        for (var i = 0; groups.Count == 0 || (wanted.Count > 0 && i < 100_000); i++)
        {
            var subject = new BanSubject(BanSubjectKind.Address, $"{StoreKeys.WarmupTag}-{i}");
            if (cluster is not null && !wanted.Remove(cluster.GetBySlot(_core.Keys.Ban(subject))?.NodeId ?? ""))
            {
                continue;
            }

            groups.Add(new CounterGroup(subject.Token) { Ban = subject });
        }

        return groups;
    }
}
