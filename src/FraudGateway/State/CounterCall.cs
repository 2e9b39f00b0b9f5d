using StackExchange.Redis;

namespace FraudGateway.State;

// One request's part of a counters.lua call (on Redis Cluster: one hash-tag group's): its ban keys (the call reads
// all of them first, with one MGET), its limit keys, its limits in key order (their ARGV is written with the call's,
// which sends each rule once: CountersScript.CallArgs), and, once the call is answered, where its answer sits in the
// call's reply.
internal sealed class CounterSection(RedisKey[] banKeys, RedisKey[] keys, CounterLimit[] limits)
{
    private readonly TaskCompletionSource _answered = new();

    public RedisKey[] BanKeys { get; } = banKeys;

    public RedisKey[] Keys { get; } = keys;

    public CounterLimit[] Limits { get; } = limits;

    public int LimitCount => Limits.Length;

    // Completes when Reply is set, or fails with the call's error.
    public Task Answered => _answered.Task;

    public RedisResult[] Reply { get; private set; } = [];

    // Index of this section's first value (its ban flag) in Reply; Reply[0] is the call's clock.
    public int Offset { get; private set; }

    // Length of this section's answer in the reply: the ban flag, then four values per limit.
    public int ReplyLength => CountersScript.RequestReply(LimitCount);

    // inline: the waiting request goes on on this thread, now; otherwise on the thread pool, so the requests of one
    // call go on in parallel rather than one after the other.
    public void Answer(RedisResult[] reply, int offset, bool inline)
    {
        Reply = reply;
        Offset = offset;
        if (inline)
        {
            _answered.TrySetResult();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static answered => answered.TrySetResult(), _answered, preferLocal: false);
        }
    }

    public void Fail(Exception error) => ThreadPool.UnsafeQueueUserWorkItem(static state => state.Answered.TrySetException(state.Error), (Answered: _answered, Error: error), preferLocal: false);
}

// Builds and runs one counters.lua call for some sections.
internal static class CounterCall
{
    // EVALSHA by a precomputed hash: passing the script text makes StackExchange.Redis look it up by its 4 KiB text
    // on every call (docs/performance.md, "Design figures"). A server that does not know the
    // script yet (first use, a restarted or new node) answers NOSCRIPT; the text form then loads it.
    // Redis names scripts by their SHA-1; this is an identifier, not a security measure.
    private static readonly byte[] CountersSha = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(LuaScripts.Counters));

    // Sends one call for sections[first..first+count) and, when Redis answers, hands every section its part of the
    // reply (or the call's error). The call is written before this returns; the answer arrives later. replied runs
    // once the call is over (answered or failed), before any section is handed its answer. Never throws.
    public static async Task RunAsync(IDatabase db, RedisValue now, IReadOnlyList<CounterSection> sections, int first, int count, Action? replied = null)
    {
        RedisResult[] reply;
        var expected = 1;
        try
        {
            int banCount = 0, keyCount = 0;
            for (var s = first; s < first + count; s++)
            {
                banCount += sections[s].BanKeys.Length;
                keyCount += sections[s].Keys.Length;
                expected += sections[s].ReplyLength;
            }

            var keys = new RedisKey[banCount + keyCount];
            int b = 0, k = banCount;
            for (var s = first; s < first + count; s++)
            {
                sections[s].BanKeys.CopyTo(keys, b);
                sections[s].Keys.CopyTo(keys, k);
                b += sections[s].BanKeys.Length;
                k += sections[s].Keys.Length;
            }

            var args = CountersScript.CallArgs(now, banCount, sections, first, count);
            reply = (RedisResult[])(await EvaluateAsync(db, keys, args))!;
        }
        catch (Exception e)
        {
            replied?.Invoke();
            Fail(sections, first, count, e);
            return;
        }

        replied?.Invoke();
        if (reply.Length != expected)
        {
            Fail(sections, first, count, new RedisException($"counters.lua answered {reply.Length} values for {count} request(s); expected {expected}."));
            return;
        }

        // StackExchange.Redis resumes this method on the thread pool, not on its reader: the first request goes on
        // right here, the others are handed to the pool first.
        var offset = 1 + sections[first].ReplyLength;
        for (var s = first + 1; s < first + count; s++)
        {
            sections[s].Answer(reply, offset, inline: false);
            offset += sections[s].ReplyLength;
        }

        sections[first].Answer(reply, 1, inline: true);
    }

    // Every section of the call fails with a store failure (its request then follows its policy's OnStoreFailure),
    // never with something that would become a 500.
    public static void Fail(IReadOnlyList<CounterSection> sections, int first, int count, Exception e)
    {
        var error = e is RedisException or TimeoutException or ObjectDisposedException ? e : new RedisException("counters.lua call failed: " + e.Message, e);
        for (var s = first; s < first + count; s++)
        {
            sections[s].Fail(error);
        }
    }

    private static async Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await db.ScriptEvaluateAsync(CountersSha, keys, args);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(LuaScripts.Counters, keys, args);
        }
    }
}
