using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FraudGateway.Observation;

// Metrics through the OpenTelemetry SDK: the gateway's own meter (GatewayMetrics) and the platform's — ASP.NET Core
// hosting, Kestrel and routing, HttpClient (which carries every forwarded request to the upstream: YARP forwards
// through SocketsHttpHandler, whose http.client.* instruments then describe the upstream), and the .NET runtime's
// built-in System.Runtime meter. Exported in Prometheus text format at GET /metrics on the management port
// (ManagementEndpoints), and over OTLP as well when OTEL_EXPORTER_OTLP_ENDPOINT is set (the SDK reads the standard
// OTEL_EXPORTER_OTLP_* variables itself). YARP 2.3 reports through EventSource counters, not a Meter; what it does
// is covered by the HttpClient instruments and fraudgateway.upstream.errors.
internal static class Telemetry
{
    public static readonly string[] Meters =
    [
        GatewayMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Runtime",
    ];

    // FraudGateway:Metrics:Enabled (default true): false exports nothing and /metrics is not served.
    // FraudGateway:Metrics:Platform: Essential (the default, or true), All, or None (or false: the gateway's own meter
    // only). Essential leaves out the platform instruments that change on every request and say little a proxy's
    // operator reads — routing's match attempts, HttpClient's active requests (the server's say the same on a proxied
    // route), open connections (each request flips its connection idle/active) and time in queue — (what that saves:
    // docs/performance.md, "Design figures"); the server and client request durations the Grafana dashboard reads stay.
    public enum PlatformMetrics { None, Essential, All }

    public static readonly string[] ChattyInstruments =
    [
        "aspnetcore.routing.match_attempts",
        "http.client.active_requests",
        "http.client.open_connections",
        "http.client.request.time_in_queue",
    ];

    public sealed record Settings(bool Enabled, PlatformMetrics Platform);

    // The settings; what is wrong goes to errors (GatewayConfigLoader lists it with the rest of the configuration's
    // problems, in one start-up error).
    public static Settings Parse(IConfiguration configuration, List<string> errors)
    {
        var enabled = true;
        if (configuration["FraudGateway:Metrics:Enabled"] is { } enabledText && !bool.TryParse(enabledText, out enabled))
        {
            errors.Add($"FraudGateway:Metrics:Enabled: '{enabledText}' is not true or false.");
        }

        var platformText = configuration["FraudGateway:Metrics:Platform"];
        var platform = platformText?.Trim().ToLowerInvariant() switch
        {
            null or "" or "true" or "essential" => PlatformMetrics.Essential,
            "all" => PlatformMetrics.All,
            "false" or "none" => PlatformMetrics.None,
            _ => Invalid(platformText!),
        };
        return new Settings(enabled, platform);

        PlatformMetrics Invalid(string value)
        {
            errors.Add($"FraudGateway:Metrics:Platform: '{value}' is not Essential, All or None.");
            return PlatformMetrics.None;
        }
    }

    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Already validated: GatewayConfigLoader parses these settings at start and refuses bad values with the rest.
        var settings = Parse(configuration, []);
        services.AddSingleton(settings);
        if (!settings.Enabled)
        {
            return services;
        }

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: configuration["OTEL_SERVICE_NAME"] ?? "fraudgateway"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(settings.Platform == PlatformMetrics.None ? [GatewayMetrics.MeterName] : Meters);
                if (settings.Platform == PlatformMetrics.Essential)
                {
                    // A dropped instrument has no listener, so the platform skips its measurements altogether.
                    foreach (var name in ChattyInstruments)
                    {
                        metrics.AddView(name, MetricStreamConfiguration.Drop);
                    }
                }

                // Latency buckets in seconds from 100 µs: the stages and the store answer in micro- to milliseconds.
                metrics.AddView(instrument => instrument.Unit == "s" && instrument.Meter.Name == GatewayMetrics.MeterName
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] }
                    : null);
                metrics.AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }
}
