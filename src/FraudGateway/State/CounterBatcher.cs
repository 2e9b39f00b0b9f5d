using System.Collections.Concurrent;
using StackExchange.Redis;

namespace FraudGateway.State;

// On a single Redis, puts the counter calls of requests that arrive together into one counters.lua call, as envoy's
// ratelimit pipelines its Redis calls. A request never waits for others: when no call is waiting for Redis, it is
// sent at once on the request's own thread; otherwise the first request to queue schedules a send on the thread
// pool right away, and whoever arrives before that send runs goes along in the same call. At a low rate every call
// carries one request and costs no extra thread switch; under load a call carries many, which saves Redis and the
// gateway the fixed cost of a call (command parsing, script lookup, socket writes and reads, a task per call).
// The script runs the requests of one call one after the other, atomically, each with its own answer.
// A call that fails (Redis gone, a timeout, a key of the wrong type) fails every request it carries.
internal sealed class CounterBatcher
{
    private readonly ConcurrentQueue<CounterSection> _queue = new();
    private readonly Func<IDatabase> _database;
    private readonly Func<RedisValue> _now;
    private readonly int _maxRequestsPerCall;
    private readonly Action<int>? _sent;
    private readonly Action<Action> _schedule;
    private readonly Action _send;
    private readonly Action _replied;
    private int _scheduled;
    private int _inFlight;

    // schedule runs the send later (the thread pool by default; tests run it by hand); sent is told each call's size.
    public CounterBatcher(Func<IDatabase> database, Func<RedisValue> now, int maxRequestsPerCall, Action<int>? sent = null, Action<Action>? schedule = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequestsPerCall, 1);
        _database = database;
        _now = now;
        _maxRequestsPerCall = maxRequestsPerCall;
        _sent = sent;
        _schedule = schedule ?? (static send => ThreadPool.UnsafeQueueUserWorkItem(static s => s(), send, preferLocal: false));
        _send = Send;
        // Counted down as soon as Redis has answered, before the answers are handed out: a request that a handed-out
        // answer sets going on this same thread then finds nothing in flight and is sent at once.
        _replied = () => Interlocked.Decrement(ref _inFlight);
    }

    public Task Enqueue(CounterSection section)
    {
        _queue.Enqueue(section);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            if (Volatile.Read(ref _inFlight) == 0)
            {
                Send();
            }
            else
            {
                _schedule(_send);
            }
        }

        return section.Answered;
    }

    private void Send()
    {
        // Cleared (with a full fence) before draining: a section queued after this point schedules the next send itself.
        Interlocked.Exchange(ref _scheduled, 0);
        while (!_queue.IsEmpty)
        {
            var batch = new List<CounterSection>(Math.Min(_maxRequestsPerCall, _queue.Count));
            while (batch.Count < _maxRequestsPerCall && _queue.TryDequeue(out var section))
            {
                batch.Add(section);
            }

            if (batch.Count == 0)
            {
                return;
            }

            _sent?.Invoke(batch.Count);
            Run(batch);
        }
    }

    // The call is written to the connection before this returns; its answer is handed out when it arrives.
    // Never throws: a failure fails every section of the batch.
    private void Run(List<CounterSection> batch)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            _ = CounterCall.RunAsync(_database(), _now(), batch, 0, batch.Count, _replied);
        }
        catch (Exception e)
        {
            // The database or the clock could not be had: the call was never written.
            _replied();
            CounterCall.Fail(batch, 0, batch.Count, e);
        }
    }
}
