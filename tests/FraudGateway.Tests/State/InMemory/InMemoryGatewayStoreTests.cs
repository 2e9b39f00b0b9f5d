using FraudGateway.RateLimiting;
using FraudGateway.State;
using FraudGateway.State.InMemory;

namespace FraudGateway.Tests.State.InMemory;

public class InMemoryGatewayStoreTests : GatewayStoreContractTests
{
    private readonly InMemoryGatewayStore _store;

    public InMemoryGatewayStoreTests()
    {
        _store = new InMemoryGatewayStore(Time);
        Store = _store;
        // At the start of an hour: the tests' counts stay inside one window of each rule.
        AlignToWindowStart(3_600_000);
    }

    protected override IGatewayStore Store { get; }

    private static readonly RateLimitRule Minute = Rule("minute", 10, 60);
    private static readonly RateLimitRule Hour = Rule("hour", 10, 3600);

    // The windows of one subject live in one entry but expire apart: the sweep takes the minute's window after two
    // minutes and leaves the hour's, with its count.
    [Fact]
    public async Task WindowsOfOneSubject_ExpireApart()
    {
        await CountAsync("i:s", CounterMode.Count, Minute, Hour);
        await CountAsync("i:s", CounterMode.Count, Minute, Hour);
        Assert.Equal(2, _store.HeldRecords);

        Time.Advance(TimeSpan.FromMinutes(3));
        _store.SweepExpired(Time.GetUtcNow());

        Assert.Equal(1, _store.HeldRecords);
        var checkedNow = (await CountAsync("i:s", CounterMode.Check, Minute, Hour)).Decisions;
        Assert.Equal(9, checkedNow[0].Remaining);
        Assert.Equal(7, checkedNow[1].Remaining);

        Time.Advance(TimeSpan.FromHours(2));
        _store.SweepExpired(Time.GetUtcNow());
        Assert.Equal(0, _store.HeldRecords);
        Assert.Equal(9, (await CountAsync("i:s", CounterMode.Count, Hour)).Decisions[0].Remaining);
    }

    // Checks and resets of a subject the store does not hold leave nothing behind; a reset removes one window only.
    [Fact]
    public async Task ChecksAndResets_WriteOnlyWhatTheyName()
    {
        await CountAsync("i:absent", CounterMode.Check, Minute, Hour);
        await CountAsync("i:absent", CounterMode.Reset, Minute, Hour);
        Assert.Equal(0, _store.HeldRecords);

        await CountAsync("i:held", CounterMode.Count, Minute, Hour);
        await CountAsync("i:held", CounterMode.Reset, Minute);
        Assert.Equal(1, _store.HeldRecords);
        Assert.Equal(8, (await CountAsync("i:held", CounterMode.Check, Hour)).Decisions[0].Remaining);
    }

    // Erasing a subject named in a window's key (a combination it is a later part of) removes that window only; the
    // subject's entry keeps its other windows.
    [Fact]
    public async Task Erase_RemovesTheWindowsNamingTheSubject_AndKeepsTheRest()
    {
        var erased = Address("192.0.2.9");
        var pair = new CounterGroup("a:account");
        pair.Limits.Add(new CounterLimit(0, Minute, StoreKeys.WithCombination(StoreKeys.LimitSuffix(Minute), [erased.Token])));
        pair.Limits.Add(new CounterLimit(1, Hour, StoreKeys.LimitSuffix(Hour)));
        await _store.CountAsync(new CounterRequest([pair], 2), default);

        Assert.Equal(1L, _store.Erase(erased.Id));

        Assert.Equal(1, _store.HeldRecords);
        Assert.Equal(8, (await CountAsync("a:account", CounterMode.Check, Hour)).Decisions[0].Remaining);
    }

    // Requests and sweeps at once: a sweep that drops a subject's entry while a request holds it makes the request look
    // again, so no window is ever counted into an entry the store no longer holds. The count of windows held stays
    // exact (it would stay above zero after the last sweep if a window were added to a dropped entry).
    [Fact]
    public async Task CountsRacingSweeps_NeverLandInADroppedEntry()
    {
        var tags = Enumerable.Range(0, 8).Select(i => $"i:race{i}").ToArray();
        using var stop = new CancellationTokenSource();
        var sweeper = Task.Run(() =>
        {
            var sweeps = 0;
            while (!stop.IsCancellationRequested || sweeps < 100)
            {
                _store.SweepExpired(Time.GetUtcNow().AddDays(1));
                sweeps++;
            }
        });

        await Parallel.ForAsync(0, 20_000, async (i, _) => await CountAsync(tags[i % tags.Length], CounterMode.Count, Minute, Hour));
        await stop.CancelAsync();
        await sweeper;

        _store.SweepExpired(Time.GetUtcNow().AddDays(1));
        Assert.Equal(0, _store.HeldRecords);
    }
}
