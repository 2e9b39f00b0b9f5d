using FraudGateway;
using FraudGateway.Configuration;

if (args is ["healthcheck", var url])
{
    return HealthProbe.Run(url);
}

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
