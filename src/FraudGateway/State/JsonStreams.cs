using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StackExchange.Redis;

namespace FraudGateway.State;

// The Redis streams of records (decisions, the audit trail): one JSON field per entry, kept by count (XADD MAXLEN ~)
// and by age (XTRIM MINID ~ on Redis' clock), the key expiring when idle. Readers filter by the record's own Time.
internal static class JsonStreams
{
    public const string Field = "d";

    // One record, appended, the stream trimmed by count and by age and its expiry renewed, in one script on Redis'
    // clock (Scripts/stream_add.lua); the caller does not wait.
    public static void Append(IDatabaseAsync db, RedisKey key, string json, int maxEntries, TimeSpan lifetime) =>
        _ = db.ScriptEvaluateAsync(LuaScripts.StreamAdd, [key], [json, maxEntries, (long)lifetime.TotalMilliseconds], CommandFlags.FireAndForget);

    // Each entry's record with its stream id set; an entry this version cannot read is skipped, not fatal to a query.
    public static void Read<T>(StreamEntry[] items, JsonTypeInfo<T> type, Action<T, string> setId, List<T> into)
        where T : class
    {
        foreach (var item in items)
        {
            try
            {
                if (item[Field] is { IsNullOrEmpty: false } json && JsonSerializer.Deserialize((string)json!, type) is { } record)
                {
                    setId(record, item.Id!);
                    into.Add(record);
                }
            }
            catch (JsonException)
            {
            }
        }
    }
}
