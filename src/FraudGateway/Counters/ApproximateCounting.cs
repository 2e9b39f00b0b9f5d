using System.Collections.Concurrent;
using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Counters;

// Approximate counting (a policy's Counting: Approximate, with Redis). The policy's plain request limits (sliding
// windows without a penalty) are counted in process and their increments sent to Redis every Store:ApproximateSyncMs
// for all keys together, reading back each key's global count in the same call; a request is refused when what this
// instance has not sent yet plus the last-known global count is over the limit. Bans are read once per subject and
// then refreshed every interval for the subjects in use (a ban or an unban reaches every instance within an interval;
// a subject seen less often is read again once its answer is older than Store:ApproximateMaxStaleMs).
// Everything else (failure limits, penalties, distinct counts,
// token buckets, the previous key of a rotation) stays exact: one store call on the request path, as before.
//
// Redis cost then follows the number of keys in use per interval, not the request rate. The price: an instance decides
// with a global count up to S old (one interval plus the sync's round trip for a key in use every interval, at most
// Store:ApproximateMaxStaleMs otherwise), so with I instances each receiving r requests a second for one key, a limit
// can be overshot by at most (I - 1) x r x S (docs/configuration.md, "Approximate counting").
internal sealed class ApproximateCounting(IApproximateStore? store, StoreOptions options, TimeProvider time)
    : BackgroundService, IAgedState
{
    // Beyond this many tracked keys, new keys are counted exactly (memory stays bounded).
    public const int MaxWindows = 200_000;

    private readonly ConcurrentDictionary<LocalLimitKey, Window> _windows = new();

    // The windows a sync looks at: each is queued (once) by the request that counts on it, and stays queued for the
    // interval after its last use, so a sync visits the windows used since the one before instead of every tracked
    // window. Scanning them all took each one's lock every interval, used or not: up to MaxWindows (200,000) locks
    // ten times a second on an idle gateway, until the windows aged out (two hours for an hour's window); on the
    // benchmark's 4,096 clients the scan alone was about 1 % of the gateway's samples.
    private readonly ConcurrentQueue<Window> _touched = new();
    private readonly ConcurrentDictionary<string, BanEntry> _bans = new(StringComparer.Ordinal);

    // The bans the next sync reads again: each entry is queued once, when it is read and when a request first uses it
    // after that, the same way (scanning every cached ban, up to a minute's subjects, cost as much).
    private readonly ConcurrentQueue<BanEntry> _bansInUse = new();
    private readonly long _syncMs = options.ApproximateSyncMs;
    private readonly long _maxStaleMs = Math.Max(options.ApproximateSyncMs, options.ApproximateMaxStaleMs);

    public bool IsAvailable => store is not null;

    // Counted here: ConcurrentDictionary.Count takes every bucket lock, and the request path asks on every limit.
    private int _windowCount;

    public int TrackedWindows => Volatile.Read(ref _windowCount);

    // Windows the next sync will look at.
    public int QueuedWindows => _touched.Count;

    // Can this limit of this request be counted approximately?
    public static bool Approximable(CounterLimit limit) =>
        limit.Mode == CounterMode.Count && !limit.Rule.CountsFailures && limit.Rule.Distinct == DistinctKind.None
        && limit.Rule.PenaltyMs == 0 && limit.Rule.Algorithm == RateLimitAlgorithm.SlidingWindow;

    // The whole request: bans from the cache (read once for a new subject), approximable limits here, the rest in
    // one exact store call. Throws StoreUnavailableException as the store does.
    public async ValueTask<CounterResult> CountAsync(CounterRequest request, IGatewayStore exact, CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ban = await BansAsync(request, nowMs, cancellationToken);

        List<CounterGroup>? exactGroups = null;
        var local = new List<(CounterGroup Group, CounterLimit Limit)>();
        foreach (var group in request.Groups)
        {
            CounterGroup? rest = null;
            foreach (var limit in group.Limits)
            {
                if (Approximable(limit) && (TrackedWindows < MaxWindows || _windows.ContainsKey(new LocalLimitKey(group.Tag, limit.KeySuffix))))
                {
                    local.Add((group, limit));
                }
                else
                {
                    (rest ??= new CounterGroup(group.Tag)).Limits.Add(limit);
                }
            }

            if (rest is not null)
            {
                (exactGroups ??= []).Add(rest);
            }
        }

        // A window whose last answer is older than Store:ApproximateMaxStaleMs (new here, or seldom used) learns the
        // global count first: one round trip for such keys only, so no key is counted from an old or empty view.
        var windows = new Window[local.Count];
        List<Window>? stale = null;
        for (var i = 0; i < windows.Length; i++)
        {
            var window = windows[i] = WindowOf(local[i].Group.Tag, local[i].Limit);
            if (window.IsStale(nowMs, _maxStaleMs) && stale?.Contains(window) != true)
            {
                (stale ??= []).Add(window);
            }
        }

        if (stale is not null)
        {
            await SyncAsync(stale, nowMs, onRequestPath: true, cancellationToken);
        }

        RateLimitDecision[] decisions;
        if (exactGroups is null)
        {
            decisions = new RateLimitDecision[request.LimitCount];
            Array.Fill(decisions, RateLimitDecision.Unknown);
        }
        else
        {
            decisions = (await exact.CountAsync(new CounterRequest(exactGroups, request.LimitCount), cancellationToken)).Decisions;
        }

        for (var i = 0; i < local.Count; i++)
        {
            decisions[local[i].Limit.Slot] = Count(windows[i], local[i].Limit.Rule, nowMs);
        }

        return new CounterResult(ban, decisions);
    }

    private RateLimitDecision Count(Window window, RateLimitRule rule, long nowMs)
    {
        RateLimitDecision decision;
        bool queue;
        lock (window)
        {
            var index = nowMs / rule.WindowMs;
            window.Roll(index);
            window.LastUsedMs = nowMs;
            // Every attempt counts, as in exact mode.
            window.UnsentCurrent++;
            decision = SlidingWindowAlgorithm.Decide(rule.Limit, rule.WindowMs, nowMs - (index * rule.WindowMs), window.Previous, window.Current);
            queue = window.TryQueue();
        }

        if (queue)
        {
            _touched.Enqueue(window);
        }

        return decision;
    }

    private Window WindowOf(string tag, CounterLimit limit)
    {
        var key = new LocalLimitKey(tag, limit.KeySuffix);
        while (true)
        {
            if (_windows.TryGetValue(key, out var window))
            {
                return window;
            }

            window = new Window(tag, limit.KeySuffix, limit.Rule.WindowMs);
            if (_windows.TryAdd(key, window))
            {
                Interlocked.Increment(ref _windowCount);
                return window;
            }
        }
    }

    // A removed window is never synced again (an erased subject's key is not written back), even if a request that
    // held it counts on it or it is still queued.
    private void RemoveWindow(LocalLimitKey key)
    {
        if (_windows.TryRemove(key, out var window))
        {
            lock (window)
            {
                window.Removed = true;
            }

            Interlocked.Decrement(ref _windowCount);
        }
    }

    // Sends the windows' increments not sent yet and applies the global counts Redis answers.
    private async Task SyncAsync(IReadOnlyList<Window> windows, long nowMs, bool onRequestPath, CancellationToken cancellationToken)
    {
        var sent = new (WindowSync Sync, long Sequence)[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            lock (windows[i])
            {
                sent[i] = windows[i].Snapshot(nowMs);
            }
        }

        (long Current, long Previous)[] counts;
        try
        {
            counts = await store!.SyncWindowsAsync(sent.Select(s => s.Sync).ToList(), onRequestPath, cancellationToken);
        }
        catch
        {
            // A window with increments to send is always queued (a request that counts queues it, and the sync loop
            // queues again what it sends), so the next sync sends them.
            for (var i = 0; i < windows.Count; i++)
            {
                lock (windows[i])
                {
                    windows[i].Unsend(sent[i].Sync);
                }
            }

            throw;
        }

        for (var i = 0; i < windows.Count; i++)
        {
            lock (windows[i])
            {
                windows[i].Apply(sent[i].Sync, sent[i].Sequence, counts[i].Current, counts[i].Previous, nowMs);
            }
        }
    }

    // The first live ban among the request's subjects; subjects not in the cache are read now, in one call.
    private async ValueTask<BanRecord?> BansAsync(CounterRequest request, long nowMs, CancellationToken cancellationToken)
    {
        List<BanSubject>? unknown = null;
        BanRecord? found = null;
        foreach (var group in request.Groups)
        {
            if (group.Ban is not { } subject)
            {
                continue;
            }

            if (_bans.TryGetValue(subject.Token, out var entry) && nowMs - entry.FetchedMs <= _maxStaleMs)
            {
                entry.LastUsedMs = nowMs;
                if (entry.TryQueue())
                {
                    _bansInUse.Enqueue(entry);
                }

                found ??= entry.Live(nowMs);
            }
            else
            {
                (unknown ??= []).Add(subject);
            }
        }

        if (unknown is null || store is null)
        {
            return found;
        }

        var read = await store.ReadBansAsync(unknown, onRequestPath: true, cancellationToken);
        for (var i = 0; i < unknown.Count; i++)
        {
            var entry = new BanEntry(unknown[i], read[i], nowMs) { LastUsedMs = nowMs };
            entry.TryQueue();
            _bans[unknown[i].Token] = entry;
            _bansInUse.Enqueue(entry);
            found ??= read[i];
        }

        return found;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    // The sync loop, until stoppingToken is cancelled.
    internal async Task RunAsync(CancellationToken stoppingToken)
    {
        if (store is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_syncMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SyncOnceAsync(stoppingToken);
                }
                catch (StoreUnavailableException)
                {
                    // Logged by the store's outage log; what was not sent stays pending for the next interval.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or disposed after a start that failed (the wait itself is cancelled then): not a failure.
        }
    }

    // One interval: every window with increments to send or used in the last interval sends them and learns the
    // global counts (all in one batch); every ban in use is read again (so a ban or an unban elsewhere reaches this
    // instance within an interval).
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windows = new List<Window>();
        // Only what was queued before this sync: a window queued again below is looked at next interval.
        for (var queued = _touched.Count; queued > 0 && _touched.TryDequeue(out var window); queued--)
        {
            lock (window)
            {
                window.Queued = false;
                if (window.Removed || !window.NeedsSync(nowMs, _syncMs))
                {
                    continue;
                }

                // Used in this interval: looked at again in the next one (NeedsSync's "used in the last interval").
                window.Queued = true;
            }

            windows.Add(window);
            _touched.Enqueue(window);
        }

        if (windows.Count > 0)
        {
            await SyncAsync(windows, nowMs, onRequestPath: false, cancellationToken);
        }

        List<BanEntry>? used = null;
        for (var queued = _bansInUse.Count; queued > 0 && _bansInUse.TryDequeue(out var entry); queued--)
        {
            // Only a subject's current entry: one read again on the request path since, or swept, or erased, is not.
            if (_bans.TryGetValue(entry.Subject.Token, out var current) && ReferenceEquals(current, entry))
            {
                (used ??= []).Add(entry);
            }
        }

        if (used is not null)
        {
            var subjects = new BanSubject[used.Count];
            for (var i = 0; i < subjects.Length; i++)
            {
                subjects[i] = used[i].Subject;
            }

            BanRecord?[] bans;
            try
            {
                bans = await store.ReadBansAsync(subjects, onRequestPath: false, cancellationToken);
            }
            catch
            {
                // Still in use: read at the next sync (they stay marked queued).
                foreach (var entry in used)
                {
                    _bansInUse.Enqueue(entry);
                }

                throw;
            }

            for (var i = 0; i < subjects.Length; i++)
            {
                var fresh = new BanEntry(subjects[i], bans[i], nowMs) { LastUsedMs = used[i].LastUsedMs };
                // Used while this read was under way: read again next interval.
                if (_bans.TryUpdate(subjects[i].Token, fresh, used[i]) && fresh.LastUsedMs >= nowMs && fresh.TryQueue())
                {
                    _bansInUse.Enqueue(fresh);
                }
            }
        }
    }

    // An admin lifted a limit (on any instance): this instance's share of it goes too.
    public void Forget(string localKey) => RemoveWindow(LocalLimitKey.Parse(localKey));

    // A subject was erased (on any instance).
    public void ForgetSubject(string subjectId)
    {
        foreach (var key in _windows.Keys.Where(k => k.Names(subjectId)))
        {
            RemoveWindow(key);
        }

        foreach (var key in _bans.Keys.Where(k => k.Contains(subjectId, StringComparison.Ordinal)))
        {
            _bans.TryRemove(key, out _);
        }
    }

    // Windows idle for two of their windows with nothing to send, bans not used for a minute.
    public void SweepExpired(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (window.Idle && nowMs - window.LastUsedMs > 2 * window.WindowMs)
                {
                    RemoveWindow(key);
                }
            }
        }

        foreach (var (key, entry) in _bans)
        {
            if (nowMs - entry.LastUsedMs > 60_000)
            {
                _bans.TryRemove(key, out _);
            }
        }
    }

    // One key's window as this instance sees it: what Redis last said (Global), what this instance has sent and not
    // yet heard back about (InFlight), and what it has not sent (Unsent), for the current and the previous window.
    private sealed class Window(string tag, string suffix, long windowMs)
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

    // A subject's ban as last read; the subject is kept so the refresh need not parse it back from its token.
    private sealed class BanEntry(BanSubject subject, BanRecord? ban, long fetchedMs)
    {
        private int _queued;

        public BanSubject Subject { get; } = subject;

        // Marks the entry queued for the next refresh; false when it already was.
        public bool TryQueue() => Interlocked.Exchange(ref _queued, 1) == 0;

        public long FetchedMs { get; } = fetchedMs;

        public long LastUsedMs { get; set; }

        public BanRecord? Live(long nowMs) => ban is not null && ban.ExpiresAt.ToUnixTimeMilliseconds() > nowMs ? ban : null;
    }
}
