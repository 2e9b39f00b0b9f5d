namespace FraudGateway.State;

public enum BanSubjectKind
{
    Address,
    Prefix,
}
