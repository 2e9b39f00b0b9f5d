namespace FraudGateway.State;

// The one place the store's broadcasts are wired: at start every registered IBroadcastListener (the over-limit cache,
// approximate counting, the local fallback limiter, arrival histories, in-process flags) hears each lifted limit and
// erased subject, from this instance or any other sharing the store; at stop they are unsubscribed.
internal sealed class BroadcastSubscriptions(IStoreBroadcasts broadcasts, IEnumerable<IBroadcastListener> listeners) : IHostedService
{
    private readonly IBroadcastListener[] _listeners = listeners.ToArray();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            broadcasts.LimitLifted += listener.OnLimitLifted;
            broadcasts.SubjectErased += listener.OnSubjectErased;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            broadcasts.LimitLifted -= listener.OnLimitLifted;
            broadcasts.SubjectErased -= listener.OnSubjectErased;
        }

        return Task.CompletedTask;
    }
}
