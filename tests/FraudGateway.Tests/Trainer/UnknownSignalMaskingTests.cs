using FraudGateway.Model;
using FraudGateway.Trainer.Training;

namespace FraudGateway.Tests.Trainer;

public class UnknownSignalMaskingTests
{
    // Masking must not depend on the label: the same rates for abusive and benign rows, so "unknown" carries no
    // evidence. The function never sees a label; this checks the rates it applies and that inputs stay untouched.
    [Fact]
    public void Optional_slots_are_masked_at_the_stated_rates_and_nothing_else_changes()
    {
        var random = new Random(42);
        var source = new float[FeatureSchema.Count];
        Array.Fill(source, 5f);
        const int rows = 20000;
        int allCounters = 0, formFill = 0, arrival = 0, other = 0;
        for (var i = 0; i < rows; i++)
        {
            var masked = UnknownSignalMasking.Apply(source, random);
            allCounters += masked.AsSpan(FeatureSchema.RequestsPerIpMinute, FeatureSchema.CounterSlots.Count).IndexOfAnyExcept(-1f) < 0 ? 1 : 0;
            formFill += masked[FeatureSchema.FormFillSeconds] == -1 ? 1 : 0;
            arrival += masked[FeatureSchema.SecondsSincePrevious] == -1 ? 1 : 0;
            for (var slot = 0; slot < FeatureSchema.Count; slot++)
            {
                other += !FeatureSchema.OptionalSlots.Contains(slot) && masked[slot] != 5f ? 1 : 0;
            }
        }

        Assert.All(source, v => Assert.Equal(5f, v));
        Assert.Equal(0, other);
        Assert.InRange(allCounters / (double)rows, UnknownSignalMasking.AllCountersUnknown - 0.015, UnknownSignalMasking.AllCountersUnknown + 0.015);
        Assert.InRange(formFill / (double)rows, UnknownSignalMasking.FormFillUnknown - 0.015, UnknownSignalMasking.FormFillUnknown + 0.015);
        Assert.InRange(arrival / (double)rows, UnknownSignalMasking.ArrivalUnknown - 0.015, UnknownSignalMasking.ArrivalUnknown + 0.015);
    }
}
