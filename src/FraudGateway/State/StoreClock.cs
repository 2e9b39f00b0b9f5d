namespace FraudGateway.State;

internal enum StoreClock
{
    Redis,
    Gateway,
}
