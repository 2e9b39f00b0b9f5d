namespace FraudGateway.BodyInspection;

// What body inspection pulled out of one request. Never the raw account or password: the account only as an HMAC.
public sealed class InspectedBody
{
    // HMAC of the normalised account identifier; null when the body has none.
    public string? AccountId { get; init; }

    // The account and message HMACs under each previous key still valid, in FraudGatewayFeature.PreviousKeys' order
    // (key rotation); empty otherwise.
    public IReadOnlyList<string?> PreviousAccountIds { get; init; } = [];

    public IReadOnlyList<string?> PreviousMessageIds { get; init; } = [];

    public string? EmailDomain { get; init; }

    // HMAC of the normalised message text: the same message from many clients is one key ("message" rate limits).
    public string? MessageId { get; init; }

    public bool DisposableEmail { get; init; }

    // ok, missing, forged, expired or too-fast; null when the policy issues no form tokens.
    public string? FormToken { get; init; }

    public int MessageLength { get; init; }

    public int MessageLinks { get; init; }

    // The policy reads a message field (so MessageLinks means something).
    public bool HasMessageField { get; init; }

    // How long the form was open, from a genuine form token; -1 without one.
    public double FormFillSeconds { get; init; } = -1;

    public bool HoneypotFilled { get; init; }

    // The password is in the breach corpus (true), is not (false), or was not checked (null: no PasswordField, no
    // corpus, not a string, too long). Only this answer is kept, never the password or its hash.
    public bool? BreachedPassword { get; init; }
}
