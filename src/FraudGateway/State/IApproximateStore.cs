namespace FraudGateway.State;

/// <summary>
/// What approximate counting (Counters/ApproximateCounting.cs) needs from the shared store; RedisGatewayStore
/// implements it. The contract lives with the store so the store does not depend on its user.
/// </summary>
internal interface IApproximateStore
{
    // Adds each window's increments and answers its global counts (current window, previous window), in order;
    // onRequestPath: within the request timeout.
    Task<(long Current, long Previous)[]> SyncWindowsAsync(IReadOnlyList<WindowSync> windows, bool onRequestPath, CancellationToken cancellationToken);

    // The live ban of each subject (null: none), in order; onRequestPath: within the request timeout.
    Task<BanRecord?[]> ReadBansAsync(IReadOnlyList<BanSubject> subjects, bool onRequestPath, CancellationToken cancellationToken);
}

// One sliding window's increments since the last sync: Index is the current window's index.
internal readonly record struct WindowSync(string Tag, string Suffix, long WindowMs, long Index, long PreviousDelta, long CurrentDelta);
