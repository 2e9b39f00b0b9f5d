namespace FraudGateway.BodyInspection;

/// <summary>
/// A policy's BodyInspection section after validation: which JSON or form fields hold the account, e-mail, message,
/// password, honeypot and form token, the body size read, and what each finding does.
/// </summary>
public sealed class BodyInspectionSettings
{
    public int MaxBodyBytes { get; init; }

    public string? AccountField { get; init; }

    public string? EmailField { get; init; }

    public string? MessageField { get; init; }

    public string? PasswordField { get; init; }

    public string? HoneypotField { get; init; }

    public InvalidBodyAction OnInvalidBody { get; init; }

    public bool RejectInvalid => OnInvalidBody == InvalidBodyAction.Reject;

    public SignalAction OnHoneypot { get; init; }

    public string? FormTokenField { get; init; }

    public int MinFillSeconds { get; init; }

    public int MaxFormAgeSeconds { get; init; }

    public SignalAction OnFormToken { get; init; }

    public SignalAction OnDisposableEmail { get; init; }
}
