namespace FraudGateway.BodyInspection;

// What body inspection pulled out of one request. Never the raw account or password: the account only as an HMAC.
public sealed class InspectedBody
{
    // HMAC of the normalised account identifier; null when the body has none.
    public string? AccountId { get; init; }

    public string? EmailDomain { get; init; }

    public int MessageLength { get; init; }

    public int MessageLinks { get; init; }

    public bool HoneypotFilled { get; init; }

    public int BodyBytes { get; init; }
}
