using System.Net;
using FraudGateway.Counters;
using FraudGateway.Privacy;
using FraudGateway.RateLimiting;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Counters;

// Approximate counting against a shared store double that adds increments as approx_sync.lua does: the overshoot
// bound, exactness on one instance, bans read once then refreshed per sync, and what stays exact.
public class ApproximateCountingTests
{
    private static readonly SubjectHasher Hasher = new("approximate-tests-key-0123456789abcdef");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
    private readonly SharedWindows _shared = new();

    private static RateLimitRule Rule(int limit, int penaltySeconds = 0, bool failures = false)
    {
        var errors = new List<string>();
        var rules = RateLimitRuleParser.Parse("p", [new RateLimitOptions
        {
            Name = "ip-minute", Key = "ip", Limit = limit, WindowSeconds = 60, PenaltySeconds = penaltySeconds,
            Counts = failures ? RateLimitCounts.Failures : RateLimitCounts.Requests, ResetOnSuccess = failures,
        }], "test", errors, hasLoginOutcome: true);
        Assert.Empty(errors);
        return rules[0];
    }

    private ApproximateCounting Instance() => new(_shared, new StoreOptions { ApproximateSyncMs = 100 }, _time);

    // keyIndex: another client address (another key) per index.
    private static CounterRequest Request(RateLimitRule rule, CounterMode mode = CounterMode.Count, BanSubject? ban = null, int keyIndex = -1)
    {
        var address = keyIndex < 0 ? "100.64.9.9" : $"100.65.{keyIndex / 256}.{keyIndex % 256}";
        var subject = ban ?? BanSubject.ForAddress(IPAddress.Parse(address), Hasher);
        var group = new CounterGroup(subject.Token) { Ban = ban };
        group.Limits.Add(new CounterLimit(0, rule, StoreKeys.LimitSuffix(rule), mode));
        return new CounterRequest([group], 1);
    }

    private static async Task<int> AllowedOfAsync(ApproximateCounting counting, IGatewayStore exact, CounterRequest request, int attempts)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            allowed += (await counting.CountAsync(request, exact, default)).Decisions[0].Allowed ? 1 : 0;
        }

        return allowed;
    }

    // A host whose start failed (a port in use) disposes its services without stopping them: the sync loop's cancelled
    // wait is then the end of it, not a "BackgroundService failed" error.
    [Fact]
    public async Task Cancelled_while_waiting_the_sync_loop_ends_without_a_failure()
    {
        var counting = Instance();
        using var stopping = new CancellationTokenSource();
        var loop = counting.RunAsync(stopping.Token);
        Assert.False(loop.IsCompleted);

        await stopping.CancelAsync();
        await loop.ContinueWith(static _ => { }, TaskScheduler.Default);

        Assert.Equal(TaskStatus.RanToCompletion, loop.Status);
    }

    [Fact]
    public async Task One_instance_counts_exactly_without_waiting_for_a_sync()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);

        Assert.Equal(50, await AllowedOfAsync(counting, exact, Request(Rule(50)), 60));
    }

    [Fact]
    public async Task Two_instances_overshoot_by_at_most_the_other_instances_share_of_one_interval()
    {
        var a = Instance();
        var b = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var request = Request(Rule(50));

        // One interval, 40 requests on each: neither has seen the other's yet.
        var allowed = await AllowedOfAsync(a, exact, request, 40) + await AllowedOfAsync(b, exact, request, 40);
        Assert.Equal(80, allowed);
        Assert.True(allowed - 50 <= (2 - 1) * 40, "overshoot within (instances - 1) x requests per instance per interval");

        // After one sync each knows the global count and refuses.
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await a.SyncOnceAsync(default);
        await b.SyncOnceAsync(default);
        await a.SyncOnceAsync(default);
        Assert.Equal(0, await AllowedOfAsync(a, exact, request, 5) + await AllowedOfAsync(b, exact, request, 5));
        await a.SyncOnceAsync(default);
        await b.SyncOnceAsync(default);
        Assert.Equal(90, _shared.Count(request, _time));
    }

    // A key an instance has not heard about lately is read before it is counted: a restarted or idle instance does not
    // count from zero.
    [Fact]
    public async Task A_key_new_to_an_instance_starts_from_the_global_count()
    {
        var a = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var request = Request(Rule(50));
        Assert.Equal(45, await AllowedOfAsync(a, exact, request, 45));
        await a.SyncOnceAsync(default);

        var restarted = Instance();
        Assert.Equal(5, await AllowedOfAsync(restarted, exact, request, 20));
    }

    [Fact]
    public async Task A_sync_sends_each_keys_increments_once_whatever_the_request_rate()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        await AllowedOfAsync(counting, exact, Request(Rule(1_000_000)), 500);

        await counting.SyncOnceAsync(default);
        await counting.SyncOnceAsync(default);

        Assert.Equal(1, _shared.WindowsSynced);
        Assert.Equal(500, _shared.Count(Request(Rule(1_000_000)), _time));
    }

    // A sync looks at the windows used since the one before (and once more in the interval after their last use),
    // not at every window tracked.
    [Fact]
    public async Task A_sync_visits_the_windows_used_lately_not_every_tracked_one()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var rule = Rule(1_000_000);
        for (var i = 0; i < 300; i++)
        {
            await counting.CountAsync(Request(rule, keyIndex: i), exact, default);
        }

        Assert.Equal(300, counting.TrackedWindows);
        Assert.Equal(300, counting.QueuedWindows);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);
        Assert.Equal(300, _shared.WindowsSynced);
        Assert.Equal(300, counting.QueuedWindows); // used in the interval just past: refreshed once more

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);
        Assert.Equal(0, counting.QueuedWindows);
        Assert.Equal(300, counting.TrackedWindows);

        await counting.CountAsync(Request(rule, keyIndex: 7), exact, default);
        Assert.Equal(1, counting.QueuedWindows);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);
        Assert.Equal(301, _shared.WindowsSynced);
        Assert.Equal(2, _shared.Count(Request(rule, keyIndex: 7), _time));
    }

    [Fact]
    public async Task Increments_of_a_failed_sync_go_with_the_next_one()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var request = Request(Rule(1000));
        await AllowedOfAsync(counting, exact, request, 10);

        _shared.FailSyncs = 1;
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => counting.SyncOnceAsync(default));
        Assert.Equal(0, _shared.Count(request, _time));

        // Long after the last request: only the unsent increments keep the window queued.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await counting.SyncOnceAsync(default);
        Assert.Equal(10, _shared.Count(request, _time));
        await counting.SyncOnceAsync(default);
        Assert.Equal(0, counting.QueuedWindows);
    }

    // An erasure between a request and the next sync: the erased subject's increments are not written back.
    [Fact]
    public async Task An_erased_window_still_queued_is_not_synced()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var request = Request(Rule(1000));
        await AllowedOfAsync(counting, exact, request, 3);
        Assert.Equal(1, counting.QueuedWindows);

        counting.ForgetSubject(request.Groups[0].Tag[2..]);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);

        Assert.Equal(0, _shared.WindowsSynced);
        Assert.Equal(0, _shared.Count(request, _time));
        Assert.Equal(0, counting.QueuedWindows);
    }

    [Fact]
    public async Task Bans_are_read_once_per_subject_then_refreshed_by_the_sync()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var subject = BanSubject.ForAddress(IPAddress.Parse("100.64.9.10"), Hasher);
        var request = Request(Rule(1000), ban: subject);

        Assert.Null((await counting.CountAsync(request, exact, default)).Ban);
        Assert.Null((await counting.CountAsync(request, exact, default)).Ban);
        Assert.Equal(1, _shared.BanReads);

        _shared.Bans[subject.Token] = new BanRecord(subject, "later", _time.GetUtcNow(), _time.GetUtcNow().AddHours(1));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);

        Assert.NotNull((await counting.CountAsync(request, exact, default)).Ban);
    }

    [Fact]
    public async Task The_refresh_reads_only_the_bans_used_since_their_last_read()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var rule = Rule(1000);
        var busy = BanSubject.ForAddress(IPAddress.Parse("100.64.9.11"), Hasher);
        var quiet = BanSubject.ForAddress(IPAddress.Parse("100.64.9.12"), Hasher);
        await counting.CountAsync(Request(rule, ban: busy), exact, default);
        await counting.CountAsync(Request(rule, ban: quiet), exact, default);
        Assert.Equal(2, _shared.BanSubjectsRead);

        // Both were read on the request path: the first refresh reads both again, the next only the one used since.
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);
        Assert.Equal(4, _shared.BanSubjectsRead);

        await counting.CountAsync(Request(rule, ban: busy), exact, default);
        await counting.CountAsync(Request(rule, ban: busy), exact, default);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);
        Assert.Equal(5, _shared.BanSubjectsRead);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await counting.SyncOnceAsync(default);
        Assert.Equal(5, _shared.BanSubjectsRead);

        // A refresh that fails is made at the next sync.
        await counting.CountAsync(Request(rule, ban: busy), exact, default);
        _shared.FailBanReads = 1;
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => counting.SyncOnceAsync(default));
        await counting.SyncOnceAsync(default);
        Assert.Equal(6, _shared.BanSubjectsRead);

        // A ban set now reaches the quiet subject on its next request all the same: its answer is too old by then.
        _shared.Bans[quiet.Token] = new BanRecord(quiet, "later", _time.GetUtcNow(), _time.GetUtcNow().AddHours(1));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.NotNull((await counting.CountAsync(Request(rule, ban: quiet), exact, default)).Ban);
    }

    [Fact]
    public async Task Penalties_and_failure_limits_stay_exact()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);

        await AllowedOfAsync(counting, exact, Request(Rule(5, penaltySeconds: 60)), 10);
        await AllowedOfAsync(counting, exact, Request(Rule(5, failures: true), CounterMode.Check), 3);

        Assert.Equal(0, counting.TrackedWindows);
        Assert.True(exact.HeldRecords > 0);
    }

    [Fact]
    public async Task A_lift_or_an_erasure_drops_the_local_share()
    {
        var counting = Instance();
        var exact = new InMemoryGatewayStore(_time);
        var request = Request(Rule(5));
        Assert.Equal(5, await AllowedOfAsync(counting, exact, request, 8));

        counting.ForgetSubject(request.Groups[0].Tag[2..]);

        Assert.Equal(0, counting.TrackedWindows);
        Assert.Equal(5, await AllowedOfAsync(counting, exact, request, 8));
    }

    // What Redis holds, as approx_sync.lua keeps it: per key and window index, the sum of every instance's increments.
    private sealed class SharedWindows : IApproximateStore
    {
        private readonly Dictionary<(string Key, long Index), long> _counts = [];

        public Dictionary<string, BanRecord> Bans { get; } = new(StringComparer.Ordinal);

        public int BanReads { get; private set; }

        public int BanSubjectsRead { get; private set; }

        public int WindowsSynced { get; private set; }

        // This many syncs (ban reads) fail, as a Redis timeout does, before they are answered again.
        public int FailSyncs { get; set; }

        public int FailBanReads { get; set; }

        public long Count(CounterRequest request, TimeProvider time)
        {
            var limit = request.Groups[0].Limits[0];
            var key = StoreKeys.LocalLimit(request.Groups[0].Tag, limit.KeySuffix);
            return _counts.GetValueOrDefault((key, time.GetUtcNow().ToUnixTimeMilliseconds() / limit.Rule.WindowMs));
        }

        public Task<(long Current, long Previous)[]> SyncWindowsAsync(IReadOnlyList<WindowSync> windows, bool onRequestPath, CancellationToken cancellationToken)
        {
            if (FailSyncs > 0)
            {
                FailSyncs--;
                throw new StoreUnavailableException("approx-sync");
            }

            var answers = new (long, long)[windows.Count];
            for (var i = 0; i < windows.Count; i++)
            {
                var w = windows[i];
                var key = StoreKeys.LocalLimit(w.Tag, w.Suffix);
                _counts[(key, w.Index - 1)] = _counts.GetValueOrDefault((key, w.Index - 1)) + w.PreviousDelta;
                _counts[(key, w.Index)] = _counts.GetValueOrDefault((key, w.Index)) + w.CurrentDelta;
                answers[i] = (_counts[(key, w.Index)], _counts[(key, w.Index - 1)]);
                WindowsSynced += w.CurrentDelta + w.PreviousDelta > 0 ? 1 : 0;
            }

            return Task.FromResult(answers);
        }

        public Task<BanRecord?[]> ReadBansAsync(IReadOnlyList<BanSubject> subjects, bool onRequestPath, CancellationToken cancellationToken)
        {
            if (FailBanReads > 0)
            {
                FailBanReads--;
                throw new StoreUnavailableException("read-bans");
            }

            BanReads++;
            BanSubjectsRead += subjects.Count;
            return Task.FromResult(subjects.Select(s => Bans.GetValueOrDefault(s.Token)).ToArray());
        }
    }
}
