using FraudGateway;
using FraudGateway.Configuration;

if (args is ["healthcheck", var url])
{
    return HealthProbe.Run(url);
}

// The JSON schema of the FraudGateway section (schemas/appsettings.schema.json is this output).
if (args is ["schema"])
{
    Console.Out.Write(ConfigurationSchema.Generate());
    return 0;
}

WebApplication app;
try
{
    app = GatewayHost.Build(args);
}
catch (GatewayConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Read before Run: the host's services are disposed when Run throws.
var managementUrl = GatewayHost.ManagementUrl(app.Configuration);
try
{
    app.Run();
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // A listener's address is taken: a configuration problem like the others, one line and exit code 2.
    Console.Error.WriteLine(GatewayHost.DescribeAddressInUse(managementUrl, e.Message));
    return 2;
}
catch (Exception e)
{
    // The host's own "Hosting failed to start" error log is filtered out (GatewayHost), so say it here, whole.
    Console.Error.WriteLine($"FraudGateway failed to start: {e}");
    return 1;
}

return 0;
