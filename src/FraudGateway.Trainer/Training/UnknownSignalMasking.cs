using FraudGateway.Model;

namespace FraudGateway.Trainer.Training;

// "Unknown is not evidence": a deployment may map no counters (or only some), configure no form token, run several
// instances (so a client's previous request was seen elsewhere) or score a request with no body. Before fitting, the
// trainer sets those optional slots to -1 (FeatureSchema.OptionalSlots) in a seeded share of the rows, at the SAME
// rates for abusive and benign rows. A missing signal then says nothing about the label, and a benign request that
// lacks one is judged on what it does have. Without this the simulator's habits (people always have a form token,
// attackers are always first seen) become the model's strongest splits.
public static class UnknownSignalMasking
{
    public const double AllCountersUnknown = 0.25;
    public const double OneCounterUnknown = 0.10;
    public const double FormFillUnknown = 0.35;
    public const double ArrivalUnknown = 0.25;
    public const double BodyUnknown = 0.10;
    public const double ContactFactsUnknown = 0.10;
    public const double AddressListsUnknown = 0.30;

    public static string Describe() =>
        $"all counters {AllCountersUnknown:P0}, each counter {OneCounterUnknown:P0}, form fill time {FormFillUnknown:P0}, " +
        $"time since previous + regularity {ArrivalUnknown:P0}, body length {BodyUnknown:P0}, e-mail/link facts {ContactFactsUnknown:P0}, address lists {AddressListsUnknown:P0}";

    // Returns masked copies; the input vectors are left as they are.
    public static float[] Apply(float[] features, Random random)
    {
        var v = (float[])features.Clone();
        if (random.NextDouble() < AllCountersUnknown)
        {
            v.AsSpan(FeatureSchema.RequestsPerIpMinute, FeatureSchema.CounterSlots.Count).Fill(-1);
        }
        else
        {
            for (var slot = FeatureSchema.RequestsPerIpMinute; slot <= FeatureSchema.DistinctIpsPerAccount; slot++)
            {
                if (random.NextDouble() < OneCounterUnknown)
                {
                    v[slot] = -1;
                }
            }
        }

        if (random.NextDouble() < FormFillUnknown)
        {
            v[FeatureSchema.FormFillSeconds] = -1;
        }

        if (random.NextDouble() < ArrivalUnknown)
        {
            v[FeatureSchema.SecondsSincePrevious] = -1;
            v[FeatureSchema.InterArrivalCv] = -1;
        }

        if (random.NextDouble() < BodyUnknown)
        {
            v[FeatureSchema.BodyLength] = -1;
        }

        if (random.NextDouble() < ContactFactsUnknown)
        {
            v[FeatureSchema.EmailDisposable] = -1;
            v[FeatureSchema.MessageLinks] = -1;
        }

        if (random.NextDouble() < AddressListsUnknown)
        {
            v[FeatureSchema.IpDatacenter] = -1;
            v[FeatureSchema.IpTor] = -1;
            v[FeatureSchema.IpVpn] = -1;
        }

        return v;
    }
}
