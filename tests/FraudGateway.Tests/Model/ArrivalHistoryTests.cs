using FraudGateway.Model;

namespace FraudGateway.Tests.Model;

public class ArrivalHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void First_arrivals_are_unknown_then_gaps_and_regularity_appear()
    {
        var history = new ArrivalHistory();
        Assert.Equal((-1, -1), history.Observe(T0));
        var (since, cv) = history.Observe(T0.AddSeconds(90));
        Assert.Equal(90, since);
        Assert.Equal(-1, cv);
        history.Observe(T0.AddSeconds(180));
        (since, cv) = history.Observe(T0.AddSeconds(270));
        Assert.Equal(90, since);
        Assert.Equal(0, cv, 6); // a timer: perfectly regular
    }

    [Fact]
    public void Irregular_gaps_have_a_high_coefficient_of_variation()
    {
        var history = new ArrivalHistory();
        double cv = 0;
        foreach (var t in new[] { 0, 5, 400, 410, 3000, 3002, 9000 })
        {
            cv = history.Observe(T0.AddSeconds(t)).InterArrivalCv;
        }

        Assert.True(cv > 1, $"cv {cv}");
    }

    [Fact]
    public void Keeps_only_the_last_arrivals_and_never_goes_negative()
    {
        var history = new ArrivalHistory();
        for (var i = 0; i < 50; i++)
        {
            history.Observe(T0.AddSeconds(i * 10));
        }

        var (since, cv) = history.Observe(T0); // a clock step backwards
        Assert.Equal(0, since);
        Assert.True(cv >= 0);
    }
}
