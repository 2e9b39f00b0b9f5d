using FraudGateway.Decisions;
using Microsoft.Extensions.Time.Testing;

namespace FraudGateway.Tests.Decisions;

public class InMemoryDecisionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private DecisionEntry Entry(string policy, string requestId) => new() { Time = _time.GetUtcNow(), Policy = policy, RequestId = requestId };

    [Fact]
    public async Task Append_KeepsTheNewestMaxEntriesPerPolicy_NewestFirst_WithIncreasingIds()
    {
        var store = new InMemoryDecisionStore(new DecisionOptions { MaxEntriesPerPolicy = 3 }, _time);
        for (var i = 0; i < 5; i++)
        {
            store.Append(Entry("login", $"r{i}"));
        }

        store.Append(Entry("contact", "c0"));

        var login = await store.ReadAsync("login", 0, 100, default);
        Assert.Equal(["r4", "r3", "r2"], login.Select(e => e.RequestId));
        Assert.True(DecisionQuery.TryParseId(login[0].Id, out var newest) && DecisionQuery.TryParseId(login[1].Id, out var older) && newest.CompareTo(older) > 0);
        Assert.Equal(4, (await store.ReadAsync(null, 0, 100, default)).Count);
    }

    [Fact]
    public async Task EntriesOlderThanTheTtl_AreNotAnswered_AndTheSweepDropsThem()
    {
        var store = new InMemoryDecisionStore(new DecisionOptions { TtlSeconds = 3600 }, _time);
        store.Append(Entry("login", "old"));
        _time.Advance(TimeSpan.FromMinutes(30));
        store.Append(Entry("login", "new"));
        _time.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(["new"], (await store.ReadAsync("login", 0, 100, default)).Select(e => e.RequestId));

        _time.Advance(TimeSpan.FromMinutes(30));
        store.SweepExpired(_time.GetUtcNow());
        Assert.Empty(await store.ReadAsync(null, 0, 100, default));
    }
}
