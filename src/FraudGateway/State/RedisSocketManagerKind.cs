namespace FraudGateway.State;

// Where StackExchange.Redis reads replies (Store:RedisSocketManager).
internal enum RedisSocketManagerKind
{
    // The .NET thread pool: fewer thread switches per request.
    ThreadPool,

    // The library's own reader threads.
    Dedicated,
}
