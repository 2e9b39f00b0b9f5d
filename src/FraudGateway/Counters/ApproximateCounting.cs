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
// Bans come from ApproximateBanCache. Everything else (failure limits, penalties, distinct counts,
// token buckets, the previous key of a rotation) stays exact: one store call on the request path, as before.
//
// Redis cost then follows the number of keys in use per interval, not the request rate. The price: an instance decides
// with a global count up to S old (one interval plus the sync's round trip for a key in use every interval, at most
// Store:ApproximateMaxStaleMs otherwise), so with I instances each receiving r requests a second for one key, a limit
// can be overshot by at most (I - 1) x r x S (docs/configuration.md, "Approximate counting").
internal sealed class ApproximateCounting(IApproximateStore? store, StoreOptions options, TimeProvider time)
    : BackgroundService, IAgedState, IBroadcastListener
{
    // Beyond this many tracked keys, new keys are counted exactly (memory stays bounded).
    public const int MaxWindows = 200_000;

    private readonly ConcurrentDictionary<LocalLimitKey, ApproximateWindow> _windows = new();

    // The windows a sync looks at: each is queued (once) by the request that counts on it, and stays queued for the
    // interval after its last use, so a sync visits the windows used since the one before instead of every tracked
    // window. Scanning them all took each one's lock every interval, used or not: up to MaxWindows (200,000) locks
    // ten times a second on an idle gateway, until the windows aged out (two hours for an hour's window)
    // (docs/performance.md, "Design figures").
    private readonly ConcurrentQueue<ApproximateWindow> _touched = new();
    private readonly ApproximateBanCache _bans = new(store, Math.Max(options.ApproximateSyncMs, options.ApproximateMaxStaleMs));
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
        var ban = await _bans.FirstLiveAsync(request, nowMs, cancellationToken);

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
        var windows = new ApproximateWindow[local.Count];
        List<ApproximateWindow>? stale = null;
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

    private RateLimitDecision Count(ApproximateWindow window, RateLimitRule rule, long nowMs)
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

    private ApproximateWindow WindowOf(string tag, CounterLimit limit)
    {
        var key = new LocalLimitKey(tag, limit.KeySuffix);
        while (true)
        {
            if (_windows.TryGetValue(key, out var window))
            {
                return window;
            }

            window = new ApproximateWindow(tag, limit.KeySuffix, limit.Rule.WindowMs);
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
    private async Task SyncAsync(List<ApproximateWindow> windows, long nowMs, bool onRequestPath, CancellationToken cancellationToken)
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
        var windows = new List<ApproximateWindow>();
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

        await _bans.RefreshAsync(nowMs, cancellationToken);
    }

    public void OnLimitLifted(string localKey) => Forget(localKey);

    public void OnSubjectErased(string subjectId) => ForgetSubject(subjectId);

    // An admin lifted a limit (on any instance): this instance's share of it goes too.
    public void Forget(string localKey) => RemoveWindow(LocalLimitKey.Parse(localKey));

    // A subject was erased (on any instance).
    public void ForgetSubject(string subjectId)
    {
        foreach (var key in _windows.Keys.Where(k => k.Names(subjectId)))
        {
            RemoveWindow(key);
        }

        _bans.ForgetSubject(subjectId);
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

        _bans.SweepExpired(nowMs);
    }
}
