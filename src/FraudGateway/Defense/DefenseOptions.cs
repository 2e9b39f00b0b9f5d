namespace FraudGateway.Defense;

/// <summary>
/// FraudGateway:Policies:&lt;name&gt;:Defense: site-wide attack detection on a login route, the defended mode it turns on,
/// and the trusted-device tokens that let returning people through it.
/// </summary>
internal sealed class DefenseOptions
{
    public DetectorOptions Detector { get; set; } = new();

    /// <summary>
    /// Null: no device tokens are issued, and defended mode challenges every login.
    /// </summary>
    public TrustedDeviceOptions? TrustedDevices { get; set; } = new();
}

/// <summary>
/// The attack signature is the share of login attempts that do not end in a successful login ("unproven"), and how
/// many there are, over the last WindowSeconds on the route, against the site's own baseline.
/// </summary>
internal sealed class DetectorOptions
{
    public bool Enabled { get; set; } = true;

    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Absolute floors: below these the route is never "under attack", whatever its baseline.
    /// </summary>
    public int MinUnprovenPerWindow { get; set; } = 60;

    public double MinUnprovenShare { get; set; } = 0.15;

    /// <summary>
    /// Relative to the baseline (the same hour of the week once it has enough history, else the recent past).
    /// </summary>
    public double UnprovenMultiplier { get; set; } = 4;

    public double ShareMultiplier { get; set; } = 3;

    /// <summary>
    /// Defended mode lasts this long after the signature was last seen.
    /// </summary>
    public int CooldownSeconds { get; set; } = 600;

    /// <summary>
    /// Until the baseline has this many one-minute samples, the warm-up baseline below is used.
    /// </summary>
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
