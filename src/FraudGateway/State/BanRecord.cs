namespace FraudGateway.State;

// A dynamic ban as stored. Reason is free text from the operator or the rule that set it; it must not
// contain the raw address (the admin endpoint refuses reasons that parse as one).
public sealed record BanRecord(BanSubject Subject, string Reason, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
