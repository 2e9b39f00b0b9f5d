using FraudGateway.Defense;

namespace FraudGateway.Tests.Defense;

public class RouteDefenseTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static readonly DetectorSettings Settings = new(Enabled: true, WindowSeconds: 60, MinUnprovenPerWindow: 60, MinUnprovenShare: 0.3,
        UnprovenMultiplier: 4, ShareMultiplier: 3, CooldownSeconds: 600, WarmupMinutes: 30, WarmupUnprovenPerWindow: 15, WarmupUnprovenShare: 0.1);

    // An hour of a site's ordinary traffic: 300 logins a minute, 6% of them not ending in a success.
    private static RouteDefense Learned(out DateTimeOffset now)
    {
        var route = new RouteDefense("login", "auth", Settings);
        now = Monday;
        for (var minute = 0; minute < 60; minute++)
        {
            Assert.False(route.Observe(300, 282, now, out _));
            now = now.AddMinutes(1);
        }

        return route;
    }

    [Fact]
    public void Observe_LearnsTheBaselineFromOrdinaryMinutes()
    {
        var route = Learned(out var now);
        var (unproven, share, source) = route.BaselineAt(now);
        Assert.Equal("recent", source);
        Assert.Equal(18, unproven, 3);
        Assert.Equal(0.06, share, 3);
        Assert.False(route.IsDefended(now));
    }

    [Fact]
    public void Observe_ANewsletterTriplingLoginsWithTheUsualFailures_IsNotAnAttack()
    {
        var route = Learned(out var now);
        Assert.False(route.Observe(900, 846, now, out var detected));
        Assert.False(detected);
        Assert.False(route.IsDefended(now));
    }

    // A stuffing run that mostly logs in (its combos are valid) hides from the unproven-share signature; the share of
    // breached passwords among the attempts does not. People's breached passwords (a tenth of the logins) do not.
    [Fact]
    public void Observe_BreachedPasswordsAsHalfTheAttempts_IsDetected_AFewPeoplesAreNot()
    {
        var route = Learned(out var now);
        Assert.False(route.Observe(300, 282, 30, now, out var detected));
        Assert.False(detected);

        Assert.True(route.Observe(300 + 300, 282 + 280, 30 + 300, now.AddMinutes(1), out detected));
        Assert.True(detected);
        Assert.Equal(330, route.Breached);
        Assert.Equal(0.55, route.BreachedShare, 2);
    }

    [Fact]
    public void Observe_ASlowDistributedRun_IsDetectedAndEndsAfterTheCooldown()
    {
        var route = Learned(out var now);
        // People go on (300 a minute, 282 succeed) while 4 attempts a second fail beside them.
        Assert.True(route.Observe(300 + 240, 282 + 7, now, out var detected));
        Assert.True(detected);
        Assert.True(route.IsDefended(now));
        Assert.Equal("detected", route.State(now));

        // Still under attack (defended: the attackers' challenges go unsolved): the mode holds.
        now = now.AddMinutes(5);
        Assert.False(route.Observe(540, 282, now, out _));
        Assert.True(route.IsDefended(now));

        // The attack stops: 600 s after it was last seen the mode ends by itself; the attack minutes were not learned.
        var lastSeen = now;
        now = now.AddMinutes(1);
        route.Observe(300, 282, now, out _);
        Assert.True(route.IsDefended(lastSeen.AddSeconds(599)));
        now = lastSeen.AddSeconds(601);
        Assert.True(route.Observe(300, 282, now, out detected));
        Assert.False(detected);
        Assert.Equal(18, route.BaselineAt(now).Unproven, 1);
    }

    [Fact]
    public void Observe_BelowTheAbsoluteFloor_IsNeverAnAttack()
    {
        // A tiny site: 20 attempts a minute, all failing, is under every floor (60 unproven).
        var route = new RouteDefense("login", "auth", Settings);
        Assert.False(route.Observe(20, 0, Monday, out var detected));
        Assert.False(detected);
    }

    [Fact]
    public void Forced_OverridesTheDetectorUntilItEnds()
    {
        var route = new RouteDefense("login", "auth", Settings) { Forced = new ForcedMode("on", Monday.AddMinutes(10)) };
        Assert.True(route.IsDefended(Monday));
        Assert.Equal("forced-on", route.State(Monday));
        Assert.False(route.IsDefended(Monday.AddMinutes(11)));

        route.Forced = new ForcedMode("off", Monday.AddMinutes(10));
        route.Observe(1000, 0, Monday, out _);
        Assert.False(route.IsDefended(Monday));
        Assert.Equal("forced-off (attack detected)", route.State(Monday));
    }

    [Fact]
    public void ObserveSolved_ProofsOfWorkSolvedThenFailing_EscalateToTheCaptcha_PeopleSolvingDoNot()
    {
        var route = Learned(out var now);
        route.Observe(540, 289, now, out _);
        Assert.True(route.IsDefended(now));

        // New people solving the proof of work and getting in: no escalation.
        for (var i = 0; i < 100; i++)
        {
            Assert.False(route.ObserveSolved(success: i % 10 != 0, now));
        }

        Assert.False(route.IsEscalated(now));

        // An attack paying for its proofs of work: solved, then failed. Escalated once the failures reach half the
        // floor (30) and outnumber the successes in the window.
        var escalatedAt = -1;
        for (var i = 0; i < 200 && escalatedAt < 0; i++)
        {
            now = now.AddMilliseconds(100);
            escalatedAt = route.ObserveSolved(success: false, now) ? i : -1;
        }

        Assert.InRange(escalatedAt, 29, 120);
        Assert.True(route.IsEscalated(now));
        Assert.Equal("detected, escalated to the captcha", route.State(now));

        // It ends with defended mode.
        Assert.False(route.IsEscalated(now.AddSeconds(1200)));
    }
}
