using FraudGateway.Model;

namespace FraudGateway.Trainer.Training;

// The model learns only from what the client is (FeatureSchema.EvidenceSlots: user agent, header set, address lists,
// message content). Every other slot is set to one constant in every row before fitting, so no tree can split on it
// and its serve-time value cannot move a score: behaviour (timing, form fill time, counts of requests, accounts,
// addresses, failures), request shape (method, content type, body length, address family) and the client facts that
// name a browser rather than tell a script from one.
//
// Why: the simulator's people never use a password manager, never share an office NAT with 300 colleagues and
// always send Accept-Language with a JSON body the way it chose; a tree ensemble fitted on that turns each of those
// habits into evidence, without a bound, against every real person who differs (the behaviour battery in the model card
// checks it). Behaviour is judged instead by the policy's own limits, whose thresholds the site sets and can read (and,
// on a policy with a WhenRisky captcha, a challenge once a limit is half used), and distributed runs by the site-wide
// defense.
public static class ClientEvidenceOnly
{
    public const float Constant = -1;

    public static float[] Apply(float[] features)
    {
        var v = (float[])features.Clone();
        for (var slot = 0; slot < v.Length; slot++)
        {
            if (!FeatureSchema.IsEvidence(slot))
            {
                v[slot] = Constant;
            }
        }

        return v;
    }
}
