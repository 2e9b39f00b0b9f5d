using FraudGateway.Captcha;
using FraudGateway.Pipeline;
using FraudGateway.Scoring;

namespace FraudGateway.Defense;

// After the counters, before the limits refuse: the request's view of the route's site-wide windows feeds the detector
// (SiteDefense), whatever a limit will answer, so every instance sees an attack as soon as the shared counts show it.
// While the route is defended (an attack detected, or an operator forced it), a login without a trusted device
// (revocation checked now) must pass the policy's lowest challenge rung, the proof of work by default, and no
// route-wide quota refuses anyone: the challenge is the answer (a quota that attackers drained would refuse people).
// A request that scoring asks a higher rung of keeps it. Returning devices pass untouched. When logins that solved the
// proof of work mostly fail (an attack paying for its proofs of work), the captcha rung is asked instead, if the
// policy's ladder has one (RouteDefense.ObserveSolved).
internal sealed class DefenseStage(SiteDefense defense, TrustedDevices devices, TimeProvider time) : IGatewayStage
{
    private static readonly ChallengeRung BuiltIn = new(CaptchaProviderRegistry.BuiltInProofOfWork, null);

    public string Name => "defense";

    public bool RunsFor(GatewayPolicy policy) => policy.Defense is not null;

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        if (feature.Policy.Defense is not { } settings)
        {
            return StageResult.Continue;
        }

        var route = feature.SiteRoute ?? defense.For(feature.Policy, settings, feature.RouteId);
        if (settings.AttemptsSlot >= 0 && feature.Counters is { } counters)
        {
            var attempts = counters.Decisions[settings.AttemptsSlot];
            var successes = counters.Decisions[settings.SuccessesSlot];
            if (!attempts.IsUnknown && !successes.IsUnknown)
            {
                var limit = feature.Policy.RateLimits[settings.AttemptsSlot].Limit;
                // Both windows are only checked here, which counts one hypothetical attempt more.
                var breached = settings.BreachedSlot >= 0 ? counters.Decisions[settings.BreachedSlot] : RateLimiting.RateLimitDecision.Unknown;
                defense.Observe(route, Math.Max(0, limit - attempts.Remaining - 1), Math.Max(0, limit - successes.Remaining - 1),
                    breached.IsUnknown ? 0 : Math.Max(0, limit - breached.Remaining - 1));
            }
        }

        var defended = route.IsDefended(time.GetUtcNow());
        if (defended && feature.Counters is { } decided)
        {
            YieldRouteQuotas(feature.Policy, decided.Decisions);
        }

        // The device-trust stage checked revocation if the route was defended then; only a route that turned defended
        // with this very request needs it read now.
        var trusted = feature.TrustedDevice
            && (!defended || feature.RouteDefended || await devices.IsTrustedAsync(context, feature, checkRevocation: true, context.RequestAborted));
        defense.CountLogin(feature.Policy.Name, trusted, defended);
        if (defended && !trusted)
        {
            // The lowest rung; the captcha rung once proofs of work are being solved at attack rates (and the ladder has one).
            var ladder = feature.Policy.Scoring?.Ladder;
            var captcha = ladder?.Captcha is { } c && (ladder.ProofOfWork is null || route.IsEscalated(time.GetUtcNow())) ? c : null;
            feature.RaiseChallenge(captcha is not null
                ? new LadderStep(LadderStepKind.Captcha, captcha)
                : new LadderStep(LadderStepKind.ProofOfWork, ladder?.ProofOfWork ?? BuiltIn));
            feature.AddVerdict(Name, captcha is not null && ladder!.ProofOfWork is not null ? "defended-escalated" : "defended-challenge");
        }

        return StageResult.Continue;
    }

    // A route-wide quota's refusal (counted before this request saw the route defended) is waived.
    private static void YieldRouteQuotas(GatewayPolicy policy, RateLimiting.RateLimitDecision[] decisions)
    {
        for (var i = 0; i < decisions.Length; i++)
        {
            if (policy.RateLimits[i].IsRouteWide && !decisions[i].Allowed)
            {
                decisions[i] = RateLimiting.RateLimitDecision.Unknown;
            }
        }
    }
}
