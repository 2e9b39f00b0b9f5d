namespace FraudGateway.Counters;

public enum StoreFailureMode
{
    // Skip the checks that need the store, record that they were skipped, and go on.
    FailOpen,

    // Answer 503 store-unavailable: for endpoints where letting an attack through costs more than an outage.
    FailClosed,

    // Enforce the policy's rate limits with an in-process limiter (same limits, this instance's traffic only)
    // until the store answers again. Ban checks are skipped meanwhile, as with FailOpen.
    FallBackToLocal,
}
