namespace FraudGateway.State;

/// <summary>
/// Rate-limit counting on the request path.
/// </summary>
public interface ICounterStore
{
    /// <summary>
    /// The ban flags and every rate-limit window the request touches, one script per hash-tag group, all groups in
    /// one round trip.
    /// </summary>
    ValueTask<CounterResult> CountAsync(CounterRequest request, CancellationToken cancellationToken);
}
