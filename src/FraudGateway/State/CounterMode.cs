namespace FraudGateway.State;

public enum CounterMode
{
    // Count this attempt, then decide.
    Count,

    // Would one more be allowed? Nothing is written (failure-counting limits, on arrival).
    Check,

    // Delete the window and the penalty (a successful login, an admin lifting a limit).
    Reset,
}
