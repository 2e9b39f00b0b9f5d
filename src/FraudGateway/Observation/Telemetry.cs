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
    // FraudGateway:Metrics:Platform (default true): false exports the gateway's own meter only. The platform's
    // per-request instruments cost ~3 µs of CPU per request of the ~44 a protected request costs (load-tests/README.md,
    // run R); kept by default because operators' dashboards read the server and client request durations.
    public sealed record Settings(bool Enabled, bool Platform);

    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = new Settings(
            configuration.GetValue<bool?>("FraudGateway:Metrics:Enabled") ?? true,
            configuration.GetValue<bool?>("FraudGateway:Metrics:Platform") ?? true);
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
                metrics.AddMeter(settings.Platform ? Meters : [GatewayMetrics.MeterName]);
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
