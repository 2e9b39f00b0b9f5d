using FraudGateway.RateLimiting;

namespace FraudGateway.Defense;

/// <summary>
/// A policy's Defense section after validation, with the internal windows the detector reads (attempts counted on
/// arrival, successful logins counted from the upstream's answers, attempts with a breached password), keyed by route
/// and shared by every instance.
/// </summary>
public sealed class DefenseSettings
{
    public required DetectorSettings Detector { get; init; }

    public TrustedDeviceSettings? TrustedDevices { get; init; }

    // Slots of the internal windows in the policy's RateLimits; -1 when the detector is off.
    public int AttemptsSlot { get; init; } = -1;

    public int SuccessesSlot { get; init; } = -1;

    public int BreachedSlot { get; init; } = -1;
}

public sealed record DetectorSettings(bool Enabled, int WindowSeconds, int MinUnprovenPerWindow, double MinUnprovenShare, double UnprovenMultiplier,
    double ShareMultiplier, int CooldownSeconds, int WarmupMinutes, double WarmupUnprovenPerWindow, double WarmupUnprovenShare);

public sealed record TrustedDeviceSettings(TimeSpan Lifetime, string CookieName, string HeaderName);
