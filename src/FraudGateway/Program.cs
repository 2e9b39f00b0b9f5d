using FraudGateway;
using FraudGateway.Configuration;

try
{
    GatewayHost.Build(args).Run();
}
catch (GatewayConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return 0;
