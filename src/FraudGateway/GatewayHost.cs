using FraudGateway.BodyInspection;
using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Forwarding;
using FraudGateway.Management;
using FraudGateway.Pipeline;
using FraudGateway.Problems;

namespace FraudGateway;

public static class GatewayHost
{
    public const string DefaultPublicUrl = "http://127.0.0.1:5000";

    // Builds the gateway. Throws GatewayConfigurationException, listing every problem, when the configuration is unusable.
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var loaded = GatewayConfigLoader.Load(builder.Configuration);
        var empty = GatewayConfigLoader.NothingToProtect(builder.Configuration);
        if (loaded.Settings is null || empty.Count > 0)
        {
            var errors = loaded.Errors.Concat(empty).ToList();
            if (empty.Count > 0 && !File.Exists(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json")))
            {
                errors.Add($"No appsettings.json in the content root {builder.Environment.ContentRootPath}: start the gateway in the folder that holds its appsettings.json, or pass --contentRoot <folder>.");
            }

            throw new GatewayConfigurationException(errors);
        }

        var options = loaded.Options;
        var publicUrls = (builder.Configuration["Urls"] ?? DefaultPublicUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.UseUrls([.. publicUrls, options.Management.Url]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Non-ASCII header bytes are read (UTF-8, else Latin-1) and judged, not refused with a bare 400.
            kestrel.RequestHeaderEncodingSelector = static _ => Forwarding.HeaderBytesEncoding.Instance;
            // Every HTTPS endpoint (an https:// URL in Urls, certificates from Kestrel:Certificates or Kestrel:Endpoints)
            // fingerprints its clients' ClientHello (JA4); the HTTPS defaults reach exactly those endpoints.
            kestrel.ConfigureHttpsDefaults(https => https.TlsClientHelloBytesCallback = Tls.TlsFingerprint.OnClientHello);
        });
        builder.Services.AddFraudGateway(builder.Configuration, loaded);
        // A failed start is reported once by Program (one line for a taken address, the whole exception otherwise),
        // not also as the host's error log with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        var app = builder.Build();

        // The risk model: a start-up error when a policy scores and the model is missing or corrupt; a warning
        // when every policy is rules-only.
        var scoringRequired = loaded.Settings.Policies.Values.Any(p => p.Scoring is { Mode: not Scoring.ScoringMode.Off });
        var modelErrors = app.Services.GetRequiredService<Scoring.ModelHost>().Start(scoringRequired);
        if (modelErrors.Count > 0)
        {
            throw new GatewayConfigurationException(modelErrors);
        }
        var managementPort = new Uri(options.Management.Url).Port;

        app.UseMiddleware<Forwarding.ClientRequestGuardMiddleware>();
        app.UseRouting();
        app.UseMiddleware<ManagementPortGuardMiddleware>(managementPort);
        app.UseMiddleware<UpstreamProblemMiddleware>();

        app.MapManagementEndpoints(options.Management.ApiKey);
        app.MapCaptchaEndpoints();
        app.MapFormTokenEndpoints();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<GatewayMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        // Every path, "file-like" ones too (/x.php, /a\b.c): the default fallback pattern skips paths with a dot.
        app.MapFallback("{**path}", context => ProblemWriter.WriteAsync(context, GatewayProblems.RouteNotFound));

        return app;
    }

    // "FraudGateway cannot listen on <address>: it is already in use (set by <setting>)."
    public static string ManagementUrl(IConfiguration configuration) =>
        configuration[$"{FraudGatewayOptions.SectionName}:Management:Url"] ?? new ManagementOptions().Url;

    public static string DescribeAddressInUse(string managementUrl, string kestrelMessage)
    {
        var match = System.Text.RegularExpressions.Regex.Match(kestrelMessage, "address (\\S+?):? address already in use", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var address = match.Success ? match.Groups[1].Value.TrimEnd(':') : "an address";
        var setting = address.StartsWith(managementUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
            ? $"{FraudGatewayOptions.SectionName}:Management:Url" : "Urls";
        return $"FraudGateway cannot listen on {address}: it is already in use (set by {setting}). Stop what listens there or choose another address.";
    }
}
