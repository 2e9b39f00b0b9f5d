namespace FraudGateway.Scoring;

public enum ScoringMode
{
    Off,
    Enforce,
    Shadow,
}
