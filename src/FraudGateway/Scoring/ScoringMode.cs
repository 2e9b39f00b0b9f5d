namespace FraudGateway.Scoring;

// Declared in the order the options list them (error messages name them so); the values keep Off the default.
public enum ScoringMode
{
    Enforce = 1,
    Shadow = 2,
    Off = 0,
}
