using System.Collections.Concurrent;

namespace FraudGateway.Decisions;

// At most MaxRecordsPerSecond decision records per policy per second on this instance (DecisionOptions), on the
// injected clock. One small counter per policy, no lock: a second's count is reset by the first record of the next.
internal sealed class RecordingGate(DecisionOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public bool TryEnter(string policy)
    {
        var window = _windows.GetOrAdd(policy, static _ => new Window());
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        if (Volatile.Read(ref window.Second) != second)
        {
            // A new second: whoever swaps the second in resets the count; a racing record may count in either second.
            if (Interlocked.Exchange(ref window.Second, second) != second)
            {
                Interlocked.Exchange(ref window.Count, 0);
            }
        }

        return Interlocked.Increment(ref window.Count) <= options.MaxRecordsPerSecond;
    }

    private sealed class Window
    {
        public long Second;
        public int Count;
    }
}
