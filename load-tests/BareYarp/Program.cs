// Bare YARP with the gateway's own route and cluster configuration and nothing else: the baseline the
// benchmark compares FraudGateway against. Usage: BareYarp --config <gateway appsettings.json> --urls <url>
var builder = WebApplication.CreateSlimBuilder(args);
var configPath = builder.Configuration["config"] ?? throw new ArgumentException("--config <path to the gateway's appsettings.json> is required");
// Only the ReverseProxy section is taken from that file; the listen URL comes from --urls.
var routes = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(configPath), optional: false).Build().GetSection("ReverseProxy");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
// https:// URLs with Kestrel:Certificates from the command line (bench.sh's HTTPS comparison); the slim builder leaves
// HTTPS configuration out unless asked.
builder.WebHost.UseKestrelHttpsConfiguration();
builder.Services.AddReverseProxy().LoadFromConfig(routes);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
