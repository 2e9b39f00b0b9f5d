using FraudGateway.State;

namespace FraudGateway.Decisions;

// One bounded queue per policy; entries leave when the queue is full (oldest first) or when they are older than
// TtlSeconds (swept by MemorySweeper, traffic or not).
internal sealed class InMemoryDecisionStore(DecisionOptions options, TimeProvider time) : IDecisionStore, IAgedState
{
    private readonly Dictionary<string, Queue<DecisionEntry>> _byPolicy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DecisionLabel> _labels = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _lastMs;
    private int _sequence;

    public void Append(DecisionEntry entry)
    {
        lock (_lock)
        {
            var ms = Math.Max(entry.Time.ToUnixTimeMilliseconds(), _lastMs);
            _sequence = ms == _lastMs ? _sequence + 1 : 0;
            _lastMs = ms;
            entry.Id = $"{ms}-{_sequence}";
            if (!_byPolicy.TryGetValue(entry.Policy, out var queue))
            {
                _byPolicy[entry.Policy] = queue = new Queue<DecisionEntry>();
            }

            queue.Enqueue(entry);
            while (queue.Count > options.MaxEntriesPerPolicy)
            {
                queue.Dequeue();
            }
        }
    }

    public Task<IReadOnlyList<DecisionEntry>> ReadAsync(string? policy, long sinceMs, int max, CancellationToken cancellationToken)
    {
        var oldest = Math.Max(sinceMs, time.GetUtcNow().AddSeconds(-options.TtlSeconds).ToUnixTimeMilliseconds());
        lock (_lock)
        {
            var queues = policy is null ? _byPolicy.Values.ToList() : _byPolicy.TryGetValue(policy, out var one) ? [one] : [];
            IReadOnlyList<DecisionEntry> entries = queues
                .SelectMany(queue => queue.Reverse().TakeWhile(entry => entry.Time.ToUnixTimeMilliseconds() >= oldest).Take(max))
                .ToList();
            return Task.FromResult(entries);
        }
    }

    public Task SetLabelAsync(string requestId, DecisionLabel label, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _labels[requestId] = label;
        }

        return Task.CompletedTask;
    }

    public Task<bool> RemoveLabelAsync(string requestId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_labels.Remove(requestId));
        }
    }

    public Task<IReadOnlyDictionary<string, DecisionLabel>> GetLabelsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken)
    {
        var oldest = time.GetUtcNow().AddSeconds(-options.TtlSeconds);
        lock (_lock)
        {
            IReadOnlyDictionary<string, DecisionLabel> found = requestIds
                .Where(id => _labels.TryGetValue(id, out var label) && label.Time >= oldest)
                .Distinct(StringComparer.Ordinal)
                .ToDictionary(id => id, id => _labels[id], StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task<(int Entries, int Labels)> EraseAsync(string subjectId, CancellationToken cancellationToken)
    {
        int entries = 0, labels = 0;
        lock (_lock)
        {
            foreach (var (policy, queue) in _byPolicy.ToList())
            {
                var kept = new Queue<DecisionEntry>(queue.Count);
                foreach (var entry in queue)
                {
                    if (entry.Concerns(subjectId))
                    {
                        entries++;
                        labels += _labels.Remove(entry.RequestId) ? 1 : 0;
                    }
                    else
                    {
                        kept.Enqueue(entry);
                    }
                }

                _byPolicy[policy] = kept;
            }
        }

        return Task.FromResult((entries, labels));
    }

    public void SweepExpired(DateTimeOffset now)
    {
        var oldest = now.AddSeconds(-options.TtlSeconds);
        lock (_lock)
        {
            foreach (var (requestId, label) in _labels.ToList())
            {
                if (label.Time < oldest)
                {
                    _labels.Remove(requestId);
                }
            }

            foreach (var (policy, queue) in _byPolicy.ToList())
            {
                while (queue.TryPeek(out var entry) && entry.Time < oldest)
                {
                    queue.Dequeue();
                }

                if (queue.Count == 0)
                {
                    _byPolicy.Remove(policy);
                }
            }
        }
    }
}
