namespace FraudGateway.RateLimiting;

// The sliding-window arithmetic, shared by the in-memory store. State/Scripts/counters.lua does exactly the
// same in Redis; the store contract tests hold both to the same answers.
//
// Every attempt is counted (cur + 1) before the check. The estimate of requests in the sliding window is
//   prev * (window - elapsed) / window + cur
// kept in integers by multiplying through by window.
internal static class SlidingWindowAlgorithm
{
    public static RateLimitDecision Decide(long limit, long windowMs, long elapsedMs, long previous, long current)
    {
        var scaled = (previous * (windowMs - elapsedMs)) + (current * windowMs);
        var allowed = scaled <= limit * windowMs;
        var remaining = allowed ? ((limit * windowMs) - scaled) / windowMs : 0;
        // All counted attempts have aged out at the end of the next window (or of this one if nothing counted in it).
        var reset = (windowMs - elapsedMs) + (current > 0 ? windowMs : 0);
        return new RateLimitDecision(allowed, remaining, reset, allowed ? 0 : RetryAfter(limit, windowMs, elapsedMs, previous, current));
    }

    // How long until one more attempt would be allowed, if nothing else arrives. The next attempt counts itself.
    public static long RetryAfter(long limit, long windowMs, long elapsedMs, long previous, long current)
    {
        var untilWindowEnd = windowMs - elapsedMs;
        if (current + 1 <= limit && previous > 0)
        {
            // Still in this window: wait for the previous window's weight to fall far enough.
            // previous * (windowMs - elapsed - t) + (current + 1) * windowMs <= limit * windowMs
            var numerator = (limit - current - 1) * windowMs;
            var t = untilWindowEnd - (numerator / previous);
            if (t < untilWindowEnd)
            {
                return Math.Max(1, t);
            }
        }

        // In the next window this window's count is the weighted one:
        // current * (windowMs - e) + 1 * windowMs <= limit * windowMs  =>  e >= windowMs - (limit - 1) * windowMs / current
        var e = current == 0 ? 0 : windowMs - ((limit - 1) * windowMs / current);
        return untilWindowEnd + Math.Max(0, e);
    }
}
