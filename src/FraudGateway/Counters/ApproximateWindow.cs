using FraudGateway.State;

namespace FraudGateway.Counters;

// One key's window as this instance sees it: what Redis last said (Global), what this instance has sent and not
// yet heard back about (InFlight), and what it has not sent (Unsent), for the current and the previous window.
internal sealed class ApproximateWindow(string tag, string suffix, long windowMs)
{
    private long _sequence;
    private long _appliedSequence;
    private long _appliedMs = -1;
    private int _inFlightSyncs;
    private long _globalCurrent;
    private long _globalPrevious;
    private long _inFlightCurrent;
    private long _inFlightPrevious;
    private long _unsentPrevious;

    public string Tag { get; } = tag;

    public string Suffix { get; } = suffix;

    public long WindowMs { get; } = windowMs;

    public long Index { get; private set; } = -1;

    public long UnsentCurrent { get; set; }

    public long LastUsedMs { get; set; }

    public long Current => _globalCurrent + _inFlightCurrent + UnsentCurrent;

    public long Previous => _globalPrevious + _inFlightPrevious + _unsentPrevious;

    public bool Idle => UnsentCurrent == 0 && _unsentPrevious == 0 && _inFlightSyncs == 0;

    // In the sync queue (at most once); taken out of the tracked windows (never synced again). Under the lock.
    public bool Queued { get; set; }

    public bool Removed { get; set; }

    // Marks the window queued; false when it already was (or was removed): the caller enqueues it only on true.
    public bool TryQueue()
    {
        if (Queued || Removed)
        {
            return false;
        }

        Queued = true;
        return true;
    }

    // New here, or not heard about for maxStaleMs, and no sync on its way.
    public bool IsStale(long nowMs, long maxStaleMs)
    {
        lock (this)
        {
            return _inFlightSyncs == 0 && (_appliedMs < 0 || nowMs - _appliedMs > maxStaleMs);
        }
    }

    // Under the lock.
    public bool NeedsSync(long nowMs, long syncMs) =>
        UnsentCurrent > 0 || _unsentPrevious > 0 || nowMs - LastUsedMs <= syncMs;

    // The clock moved into another window: the current one becomes the previous one (or both are gone).
    public void Roll(long index)
    {
        if (index == Index)
        {
            return;
        }

        if (index == Index + 1)
        {
            (_globalPrevious, _inFlightPrevious, _unsentPrevious) = (_globalCurrent, _inFlightCurrent, UnsentCurrent);
        }
        else
        {
            (_globalPrevious, _inFlightPrevious, _unsentPrevious) = (0, 0, 0);
        }

        (_globalCurrent, _inFlightCurrent, UnsentCurrent, Index) = (0, 0, 0, index);
    }

    // What one sync sends: every unsent increment (now in flight).
    public (WindowSync Sync, long Sequence) Snapshot(long nowMs)
    {
        Roll(nowMs / WindowMs);
        var sync = new WindowSync(Tag, Suffix, WindowMs, Index, _unsentPrevious, UnsentCurrent);
        (_inFlightPrevious, _inFlightCurrent) = (_inFlightPrevious + _unsentPrevious, _inFlightCurrent + UnsentCurrent);
        (_unsentPrevious, UnsentCurrent) = (0, 0);
        _inFlightSyncs++;
        return (sync, ++_sequence);
    }

    // The sync failed: its increments are unsent again.
    public void Unsend(WindowSync sent)
    {
        _inFlightSyncs--;
        Move(sent, toUnsent: true);
    }

    // Redis' answer to a sync: the sent increments are in its counts now. An answer older than one already
    // applied only takes its increments out of flight.
    public void Apply(WindowSync sent, long sequence, long current, long previous, long nowMs)
    {
        _inFlightSyncs--;
        Move(sent, toUnsent: false);
        if (sequence < _appliedSequence)
        {
            return;
        }

        _appliedSequence = sequence;
        _appliedMs = nowMs;
        if (Index == sent.Index)
        {
            (_globalCurrent, _globalPrevious) = (current, previous);
        }
        else if (Index == sent.Index + 1)
        {
            _globalPrevious = current;
        }
    }

    private void Move(WindowSync sent, bool toUnsent)
    {
        if (Index == sent.Index)
        {
            (_inFlightCurrent, _inFlightPrevious) = (_inFlightCurrent - sent.CurrentDelta, _inFlightPrevious - sent.PreviousDelta);
            if (toUnsent)
            {
                (UnsentCurrent, _unsentPrevious) = (UnsentCurrent + sent.CurrentDelta, _unsentPrevious + sent.PreviousDelta);
            }
        }
        else if (Index == sent.Index + 1)
        {
            _inFlightPrevious -= sent.CurrentDelta;
            if (toUnsent)
            {
                _unsentPrevious += sent.CurrentDelta;
            }
        }
    }
}
