using System.Text.Json;
using System.Text.Json.Serialization;
using FraudGateway.Admin;
using FraudGateway.Observation;
using FraudGateway.State;
using StackExchange.Redis;

namespace FraudGateway.Management;

// One management action: who (KeyId, a fingerprint of the API key used, never the key), what (Action, Detail), on
// whom (Subject: store tokens, which hold HMACs only), when and with what result (the HTTP status).
public sealed class AuditEntry
{
    public string Id { get; set; } = "";

    public DateTimeOffset Time { get; set; }

    public string Action { get; set; } = "";

    public string? Subject { get; set; }

    public string? Detail { get; set; }

    public string KeyId { get; set; } = "";

    public int Status { get; set; }

    public string RequestId { get; set; } = "";
}

internal sealed record AuditPage(IReadOnlyList<AuditEntry> Entries);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(AuditPage))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;

// The audit trail of management actions: logged (event AdminAction) and kept for GET /admin/audit, on Redis in one
// capped stream shared by every instance (<prefix>:{audit}:stream, MAXLEN ~ 10,000, entries older than
// Management:AuditTtlSeconds trimmed on every write, the key expiring when idle), in memory otherwise (redis null: the
// choice is made at registration, AddManagement).
internal sealed partial class AuditTrail(IConnectionMultiplexer? redis, StoreOptions storeOptions, ManagementOptions options, TimeProvider time, GatewayMetrics metrics, ILogger<AuditTrail> logger) : IAgedState
{
    public const int MaxEntries = 10_000;
    private const string SubjectItem = AuditNotes.SubjectItem;
    private const string DetailItem = AuditNotes.DetailItem;

    private readonly IConnectionMultiplexer? _redis = redis;
    private readonly Queue<AuditEntry> _memory = new();
    private readonly Lock _lock = new();
    private long _sequence;

    private RedisKey StreamKey { get; } = new StoreKeys(storeOptions.KeyPrefix).AuditStream;

    public void Record(HttpContext context, string action, string keyId)
    {
        var entry = new AuditEntry
        {
            Time = time.GetUtcNow(),
            Action = action,
            Subject = context.Items[SubjectItem] as string,
            Detail = context.Items[DetailItem] as string,
            KeyId = keyId,
            Status = context.Response.StatusCode,
            RequestId = context.TraceIdentifier,
        };
        Log.AdminAction(logger, entry.Action, entry.Subject ?? "-", entry.Detail ?? "-", entry.KeyId, entry.Status, entry.RequestId);
        if (_redis is null)
        {
            lock (_lock)
            {
                entry.Id = $"{entry.Time.ToUnixTimeMilliseconds()}-{_sequence++}";
                _memory.Enqueue(entry);
                var oldest = entry.Time.AddSeconds(-options.AuditTtlSeconds);
                while (_memory.Count > MaxEntries || (_memory.TryPeek(out var first) && first.Time < oldest))
                {
                    _memory.Dequeue();
                }
            }

            return;
        }

        try
        {
            JsonStreams.Append(_redis.GetDatabase(), StreamKey, JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry), MaxEntries, TimeSpan.FromSeconds(options.AuditTtlSeconds));
        }
        catch (RedisException)
        {
            metrics.StoreFailure("record-audit", "error");
        }
    }

    // In memory: entries older than AuditTtlSeconds leave on MemorySweeper's timer, traffic or not.
    public void SweepExpired(DateTimeOffset now)
    {
        var oldest = now.AddSeconds(-options.AuditTtlSeconds);
        lock (_lock)
        {
            while (_memory.TryPeek(out var first) && first.Time < oldest)
            {
                _memory.Dequeue();
            }
        }
    }

    // Subject erasure: the entries about this HMAC leave the trail (the erasure's own entry is written afterwards, as
    // the record that the request was honoured).
    public async Task<int> EraseAsync(string subjectId, CancellationToken cancellationToken)
    {
        if (_redis is null)
        {
            lock (_lock)
            {
                var kept = _memory.Where(e => !Concerns(e, subjectId)).ToList();
                var erased = _memory.Count - kept.Count;
                _memory.Clear();
                kept.ForEach(_memory.Enqueue);
                return erased;
            }
        }

        try
        {
            var db = _redis.GetDatabase();
            var entries = new List<AuditEntry>();
            JsonStreams.Read(await db.StreamRangeAsync(StreamKey).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken), AuditJsonContext.Default.AuditEntry,
                static (entry, id) => entry.Id = id, entries);
            var ids = entries.Where(e => Concerns(e, subjectId)).Select(e => (RedisValue)e.Id).ToArray();
            return ids.Length == 0 ? 0 : (int)await db.StreamDeleteAsync(StreamKey, ids).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            metrics.StoreFailure("erase-audit", e is TimeoutException ? "timeout" : "error");
            throw new StoreUnavailableException("erase-audit", e);
        }
    }

    public static bool Concerns(AuditEntry entry, string subjectId) => entry.Subject?.Contains(subjectId, StringComparison.Ordinal) == true;

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long sinceMs, int limit, CancellationToken cancellationToken)
    {
        var oldest = Math.Max(sinceMs, time.GetUtcNow().AddSeconds(-options.AuditTtlSeconds).ToUnixTimeMilliseconds());
        if (_redis is null)
        {
            lock (_lock)
            {
                return _memory.Reverse().Where(e => e.Time.ToUnixTimeMilliseconds() >= oldest).Take(limit).ToList();
            }
        }

        StreamEntry[] items;
        try
        {
            items = await _redis.GetDatabase().StreamRangeAsync(StreamKey, "-", "+", MaxEntries, Order.Descending).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            metrics.StoreFailure("read-audit", e is TimeoutException ? "timeout" : "error");
            throw new StoreUnavailableException("read-audit", e);
        }

        var entries = new List<AuditEntry>();
        JsonStreams.Read(items, AuditJsonContext.Default.AuditEntry, static (entry, id) => entry.Id = id, entries);
        // Filtered by each entry's own (gateway) time: stream ids are on Redis' clock.
        return entries.Where(e => e.Time.ToUnixTimeMilliseconds() >= oldest).Take(limit).ToList();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.AdminAction, EventName = nameof(LogEvents.AdminAction), Level = LogLevel.Information, Message = "Admin {Action} on {Subject} ({Detail}) by key {KeyId}: {Status}, request {RequestId}")]
        public static partial void AdminAction(ILogger logger, string action, string subject, string detail, string keyId, int status, string requestId);
    }
}

// Writes the audit entry of every admin call that changes something (POST, PUT, DELETE) and of reads marked
// AuditedReadMetadata (a subject's data), after it has answered, whatever the answer (a refused call is recorded
// too). Runs behind the API key check.
internal sealed class AuditEndpointFilter(AuditTrail trail, string keyId) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var audited = http.GetEndpoint()?.Metadata.GetMetadata<AuditedReadMetadata>() is not null;
        if (!audited && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
        {
            return await next(context);
        }

        AuditNotes.SetKeyId(http, keyId);
        try
        {
            var result = await next(context);
            if (result is IResult written && !http.Response.HasStarted)
            {
                await written.ExecuteAsync(http);
                result = Results.Empty;
            }

            return result;
        }
        finally
        {
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
            trail.Record(http, $"{http.Request.Method} {route}", keyId);
        }
    }
}

// Marks a read that is audited like a change: looking at one subject's data (GET /admin/subjects).
internal sealed class AuditedReadMetadata
{
    public static readonly AuditedReadMetadata Instance = new();
}
