namespace FraudGateway.RateLimiting;

// What a "distinct" limit counts per key, instead of requests.
public enum DistinctKind
{
    None,

    // Distinct accounts tried (credential stuffing from one address or prefix).
    Accounts,

    // Distinct client addresses (a distributed run on one account).
    Addresses,
}
