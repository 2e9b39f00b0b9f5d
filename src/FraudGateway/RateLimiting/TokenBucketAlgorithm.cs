namespace FraudGateway.RateLimiting;

// GCRA: one "theoretical arrival time" (TAT) per key, in microseconds. Emission interval T = window / limit;
// tolerance tau = burst * T. An attempt is allowed when now >= TAT + T - tau; then TAT moves to max(TAT, now) + T.
// A refused attempt takes no token and leaves TAT alone. State/Scripts/counters.lua does the same in Redis.
internal static class TokenBucketAlgorithm
{
    public static (RateLimitDecision Decision, long NewTatUs) Decide(long limit, long windowMs, long burst, long nowUs, long storedTatUs)
    {
        var intervalUs = Math.Max(1, windowMs * 1000 / limit);
        var toleranceUs = burst * intervalUs;
        var tat = Math.Max(storedTatUs, nowUs);
        var newTat = tat + intervalUs;
        var allowAt = newTat - toleranceUs;
        if (nowUs >= allowAt)
        {
            var remaining = (toleranceUs - (newTat - nowUs)) / intervalUs;
            return (new RateLimitDecision(true, remaining, CeilMs(newTat - nowUs), 0), newTat);
        }

        return (new RateLimitDecision(false, 0, CeilMs(tat - nowUs), Math.Max(1, CeilMs(allowAt - nowUs))), storedTatUs);
    }

    private static long CeilMs(long us) => (us + 999) / 1000;
}
