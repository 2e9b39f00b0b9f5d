using StackExchange.Redis;

namespace FraudGateway.State;

// Every Redis key the gateway writes. The part in braces is the hash tag: keys about one subject share it,
// so later multi-key scripts on one subject land in one Redis Cluster slot.
public sealed class StoreKeys(string prefix)
{
    public RedisKey Ban(BanSubject subject) => $"{prefix}:{{{subject.Token}}}:ban";

    public RedisKey BanIndex { get; } = $"{prefix}:{{bans}}:index";

    public RedisKey Claim(string id) => $"{prefix}:{{u:{id}}}:claim";
}
