using FraudGateway.State;

namespace FraudGateway.Tests.State;

public class InMemoryGatewayStoreTests : GatewayStoreContractTests
{
    public InMemoryGatewayStoreTests()
    {
        Store = new InMemoryGatewayStore(Time);
    }

    protected override IGatewayStore Store { get; }
}
