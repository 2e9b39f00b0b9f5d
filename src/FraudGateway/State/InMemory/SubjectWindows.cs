namespace FraudGateway.State.InMemory;

// Every window of one subject (one tag), by limit suffix: the few limits a policy keys under it (the login policy
// four at most), so a linear search over the suffixes, by reference first (the rule's own suffix string), beats
// any map. Guarded by locking the instance.
internal sealed class SubjectWindows
{
    private string[] _suffixes = new string[2];
    private LimitState[] _states = new LimitState[2];

    public int Count { get; private set; }

    // Set when the entry leaves the store; a request that found it before then looks the tag up again.
    public bool Dropped { get; set; }

    public LimitState? Find(string suffix)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_suffixes[i], suffix))
            {
                return _states[i];
            }
        }

        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_suffixes[i], suffix, StringComparison.Ordinal))
            {
                return _states[i];
            }
        }

        return null;
    }

    public LimitState Add(string suffix)
    {
        if (Count == _suffixes.Length)
        {
            Array.Resize(ref _suffixes, Count * 2);
            Array.Resize(ref _states, Count * 2);
        }

        var state = new LimitState();
        (_suffixes[Count], _states[Count]) = (suffix, state);
        Count++;
        return state;
    }

    public bool Remove(string suffix) => RemoveWhere(static (s, _, key) => string.Equals(s, key, StringComparison.Ordinal), suffix) > 0;

    public int RemoveExpired(long nowMs) => RemoveWhere(static (_, state, now) => state.ExpiresAtMs <= now, nowMs);

    // Windows whose key names the subject (a combination it is a later part of) go; in the others it is
    // forgotten as a distinct-count member. Returns (windows removed, windows it was a member of).
    public (int Windows, int Members) Erase(string subjectId)
    {
        var windows = RemoveWhere(static (s, _, id) => s.Contains(id, StringComparison.Ordinal), subjectId);
        var members = 0;
        for (var i = 0; i < Count; i++)
        {
            members += _states[i].ForgetMember(subjectId) ? 1 : 0;
        }

        return (windows, members);
    }

    private int RemoveWhere<T>(Func<string, LimitState, T, bool> remove, T arg)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            if (!remove(_suffixes[i], _states[i], arg))
            {
                (_suffixes[kept], _states[kept]) = (_suffixes[i], _states[i]);
                kept++;
            }
        }

        var removed = Count - kept;
        Array.Clear(_suffixes, kept, removed);
        Array.Clear(_states, kept, removed);
        Count = kept;
        return removed;
    }
}
