namespace FraudGateway.State;

/// <summary>
/// An in-process structure that holds something about limits or subjects and must drop it when any instance lifts a
/// limit or erases a subject (IStoreBroadcasts' events). Registered as a service; BroadcastSubscriptions subscribes
/// every one at start.
/// </summary>
public interface IBroadcastListener
{
    /// <summary>
    /// An admin lifted the limit with this in-process key (StoreKeys.LocalLimit) on some instance.
    /// </summary>
    void OnLimitLifted(string localKey)
    {
    }

    /// <summary>
    /// A subject (an HMAC) was erased on some instance.
    /// </summary>
    void OnSubjectErased(string subjectId);
}
