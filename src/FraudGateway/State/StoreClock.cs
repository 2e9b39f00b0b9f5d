namespace FraudGateway.State;

public enum StoreClock
{
    Redis,
    Gateway,
}
