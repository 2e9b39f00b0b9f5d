namespace FraudGateway.Model;

// The last few arrival times of one client: time since its previous request and how regular its gaps are
// (coefficient of variation of the inter-arrival times: a script on a timer is near 0, people are near or above 1).
// Not thread-safe: the owner locks it.
public sealed class ArrivalHistory
{
    public const int Capacity = 8;

    private readonly long[] _ticks = new long[Capacity];
    private int _count;
    private int _next;

    public DateTimeOffset LastSeen { get; private set; }

    // Records an arrival and returns the two features for it: -1 when there are too few earlier arrivals.
    public (double SecondsSincePrevious, double InterArrivalCv) Observe(DateTimeOffset time)
    {
        double since = -1;
        double cv = -1;
        if (_count > 0)
        {
            var previous = _ticks[(_next + Capacity - 1) % Capacity];
            since = Math.Max(0, (time.UtcTicks - previous) / (double)TimeSpan.TicksPerSecond);
        }

        _ticks[_next] = time.UtcTicks;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
        LastSeen = time;

        // Gaps between the stored arrivals, oldest first; at least three gaps before regularity means anything.
        if (_count >= 4)
        {
            double sum = 0, sumSquares = 0;
            var gaps = _count - 1;
            var start = (_next + Capacity - _count) % Capacity;
            for (var i = 0; i < gaps; i++)
            {
                var a = _ticks[(start + i) % Capacity];
                var b = _ticks[(start + i + 1) % Capacity];
                var gap = Math.Max(0, (b - a) / (double)TimeSpan.TicksPerSecond);
                sum += gap;
                sumSquares += gap * gap;
            }

            var mean = sum / gaps;
            var variance = Math.Max(0, (sumSquares / gaps) - (mean * mean));
            cv = mean <= 0 ? 0 : Math.Sqrt(variance) / mean;
        }

        return (since, cv);
    }
}
