namespace FraudGateway.Configuration;

public enum StoreClock
{
    Redis,
    Gateway,
}
