using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry; exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT
    /// is set, so a newcomer's single process needs no collector.
    /// </summary>
    public static IHostApplicationBuilder AddControlPlaneTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        if (string.Equals(builder.Configuration["ControlPlane:LogFormat"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object a line, with the scopes that carry TraceId and SpanId, for log shippers.
            builder.Logging.ClearProviders();
            builder.Logging.AddOpenTelemetry();
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            builder.Logging.Configure(o => o.ActivityTrackingOptions =
                ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        }

        builder.Services.AddHttpContextAccessor();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: builder.GetReplicaId()))
            .WithTracing(tracing => tracing
                .AddSource(ServiceDefaultsTelemetry.Name, "MassTransit")
                .SetSampler(sp => new UntracedPathSampler(sp.GetRequiredService<IHttpContextAccessor>()))
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !UntracedPaths.Contains(http.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !Untraced.IsMarked(request))
                .AddNpgsql()
                // Commands are collected in profiling sessions and turned into spans at each flush: every second
                // rather than the default 10 s, so a cache call shows in Jaeger with the rest of its trace.
                .AddRedisInstrumentation(redis => redis.FlushInterval = TimeSpan.FromSeconds(1)))
            .WithMetrics(metrics => metrics
                .AddMeter(ServiceDefaultsTelemetry.Name, "MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Grpc.AspNetCore.Server", "Grpc.Net.Client")
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
