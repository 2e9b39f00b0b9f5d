namespace FraudGateway.RateLimiting;

public enum RateLimitAlgorithm
{
    // Two fixed windows, the previous one weighted by how much of it still overlaps the sliding window
    // (the approach Cloudflare and envoy use): O(1) state per key, no 2x burst at a window edge.
    SlidingWindow,

    // GCRA, the token bucket written as one timestamp: Burst requests at once, then Limit per Window.
    TokenBucket,
}
