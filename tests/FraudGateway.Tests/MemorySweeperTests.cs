using System.Net;
using FraudGateway.Counters;
using FraudGateway.Privacy;
using FraudGateway.Scoring;
using FraudGateway.State;
using FraudGateway.State.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests;

public class MemorySweeperTests
{
    // An instance that gets no traffic after a busy minute still lets go of every record once its lifetime is over.
    [Fact]
    public async Task An_idle_instance_holds_nothing_older_than_its_lifetimes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var hasher = new SubjectHasher("sweeper-tests-key-0123456789abcdef0123");
        var store = new InMemoryGatewayStore(time);
        var cache = new OverLimitCache(time, 100);
        var arrivals = new ArrivalTracker(1000);
        var fallback = new LocalFallbackLimiter(time);

        await store.AddBanAsync(new BanRecord(BanSubject.ForAddress(IPAddress.Parse("100.64.1.1"), hasher), "t", time.GetUtcNow(), time.GetUtcNow().AddMinutes(10)), default);
        Assert.True(await store.TryClaimOnceAsync("token", "request", TimeSpan.FromMinutes(5), default));
        await fallback.Store.AddBanAsync(new BanRecord(BanSubject.ForAddress(IPAddress.Parse("100.64.1.2"), hasher), "t", time.GetUtcNow(), time.GetUtcNow().AddMinutes(10)), default);
        cache.Remember(new LocalLimitKey("i:x", "rl:login:ip-minute:s"), 60_000);
        arrivals.Observe("client", time.GetUtcNow());
        Assert.Equal((2, 1, 1, 1), (store.HeldRecords, cache.Count, arrivals.Count, fallback.Store.HeldRecords));

        using var sweeper = new MemorySweeper(time, [store, cache, arrivals, fallback]);
        await sweeper.StartAsync(default);
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal((0, 0, 1, 0), (store.HeldRecords, cache.Count, arrivals.Count, fallback.Store.HeldRecords));

        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(0, arrivals.Count);
        await sweeper.StopAsync(default);
    }

    // An erased subject leaves every in-process structure at once; others stay.
    [Fact]
    public async Task Erasure_clears_what_each_in_process_structure_holds_about_the_subject()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var hasher = new SubjectHasher("sweeper-tests-key-0123456789abcdef0123");
        var erased = BanSubject.ForAddress(IPAddress.Parse("100.64.1.1"), hasher);
        var kept = BanSubject.ForAddress(IPAddress.Parse("100.64.1.2"), hasher);
        var cache = new OverLimitCache(time, 100);
        var arrivals = new ArrivalTracker(1000);
        var fallback = new LocalFallbackLimiter(time);
        foreach (var subject in new[] { erased, kept })
        {
            cache.Remember(new LocalLimitKey(subject.Token, "rl:login:ip-minute:s"), 60_000);
            cache.Remember(new LocalLimitKey("a:0123", "rl:login:pair:sf:" + subject.Token), 60_000);
            arrivals.Observe(subject.Id, time.GetUtcNow());
            await fallback.Store.AddBanAsync(new BanRecord(subject, "t", time.GetUtcNow(), time.GetUtcNow().AddMinutes(10)), default);
        }

        cache.ForgetSubject(erased.Id);
        arrivals.Forget(erased.Id);
        Assert.Equal(1, fallback.Store.Erase(erased.Id));

        Assert.Equal((2, 1, 1), (cache.Count, arrivals.Count, fallback.Store.HeldRecords));
        Assert.Equal(0, cache.RefusedForMs(new LocalLimitKey(erased.Token, "rl:login:ip-minute:s")));
        Assert.True(cache.RefusedForMs(new LocalLimitKey(kept.Token, "rl:login:ip-minute:s")) > 0);
        Assert.Equal(-1, arrivals.Observe(erased.Id, time.GetUtcNow()).SecondsSincePrevious);
    }
}
