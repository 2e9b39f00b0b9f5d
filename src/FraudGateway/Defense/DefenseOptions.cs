namespace FraudGateway.Defense;

// FraudGateway:Policies:<name>:Defense: site-wide attack detection on a login route, the defended mode it turns on,
// and the trusted-device tokens that let returning people through it.
internal sealed class DefenseOptions
{
    public DetectorOptions Detector { get; set; } = new();

    // Null: no device tokens are issued, and defended mode challenges every login.
    public TrustedDeviceOptions? TrustedDevices { get; set; } = new();
}

// The attack signature is the share of login attempts that do not end in a successful login ("unproven"), and how
// many there are, over the last WindowSeconds on the route, against the site's own baseline.
internal sealed class DetectorOptions
{
    public bool Enabled { get; set; } = true;

    public int WindowSeconds { get; set; } = 60;

    // Absolute floors: below these the route is never "under attack", whatever its baseline.
    public int MinUnprovenPerWindow { get; set; } = 60;

    public double MinUnprovenShare { get; set; } = 0.15;

    // Relative to the baseline (the same hour of the week once it has enough history, else the recent past).
    public double UnprovenMultiplier { get; set; } = 4;

    public double ShareMultiplier { get; set; } = 3;

    // Defended mode lasts this long after the signature was last seen.
    public int CooldownSeconds { get; set; } = 600;

    // Until the baseline has this many one-minute samples, the warm-up baseline below is used.
    public int WarmupMinutes { get; set; } = 30;

    public double WarmupUnprovenPerWindow { get; set; } = 15;

    public double WarmupUnprovenShare { get; set; } = 0.05;
}

internal sealed class TrustedDeviceOptions
{
    public int LifetimeDays { get; set; } = 30;

    public string CookieName { get; set; } = "fg_device";

    public string HeaderName { get; set; } = "X-Device-Token";
}
