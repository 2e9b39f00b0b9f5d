using System.Collections.Concurrent;
using FraudGateway.Model;
using FraudGateway.State;

namespace FraudGateway.Scoring;

// Recent arrival times per client (keyed by the client's address HMAC, never the address), for the "time since the
// previous request" and "regularity" features. In process and bounded: when more than Capacity clients are held,
// those not seen for an hour are dropped, and if that is not enough, all are; MemorySweeper drops idle ones on a
// timer too. Per gateway instance by design: it is a scoring hint, not a limit.
internal sealed class ArrivalTracker(int capacity) : IAgedState, IBroadcastListener
{
    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, ArrivalHistory> _clients = new(StringComparer.Ordinal);
    private int _count;
    private int _pruning;

    public int Count => Volatile.Read(ref _count);

    public (double SecondsSincePrevious, double InterArrivalCv) Observe(string clientId, DateTimeOffset time)
    {
        if (!_clients.TryGetValue(clientId, out var history))
        {
            history = _clients.GetOrAdd(clientId, static _ => new ArrivalHistory());
            if (Interlocked.Increment(ref _count) > capacity)
            {
                Prune(time);
            }
        }

        lock (history)
        {
            return history.Observe(time);
        }
    }

    // A subject was erased (on any instance): its arrival history goes, so its next request is a first one.
    public void OnSubjectErased(string subjectId) => Forget(subjectId);

    public void Forget(string clientId)
    {
        if (_clients.TryRemove(clientId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (Interlocked.Exchange(ref _pruning, 1) == 1)
        {
            return;
        }

        try
        {
            RemoveIdle(now);
            if (_clients.Count > capacity)
            {
                _clients.Clear();
            }

            Volatile.Write(ref _count, _clients.Count);
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }

    public void SweepExpired(DateTimeOffset now)
    {
        RemoveIdle(now);
        Volatile.Write(ref _count, _clients.Count);
    }

    private void RemoveIdle(DateTimeOffset now)
    {
        foreach (var (key, history) in _clients)
        {
            bool idle;
            lock (history)
            {
                idle = now - history.LastSeen > Idle;
            }

            if (idle)
            {
                _clients.TryRemove(key, out _);
            }
        }
    }
}
