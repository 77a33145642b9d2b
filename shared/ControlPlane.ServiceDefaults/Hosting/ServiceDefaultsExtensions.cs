using System.Net;
using ControlPlane.ServiceDefaults.Access;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Health;
using ControlPlane.ServiceDefaults.Hosting;
using ControlPlane.ServiceDefaults.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Everything a ControlPlane service shares: the mode (refusing invalid ones), options, Kestrel endpoints,
    /// schema migrations, gRPC with error mapping, reflection and grpc.health.v1, health checks, cache, telemetry.
    /// Services then add their own parts, and <see cref="BusExtensions.AddControlPlaneBus"/> last.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        var mode = ServiceMode.FromConfiguration(builder.Configuration);
        ((IHostApplicationBuilder)builder).Properties[typeof(ServiceMode)] = mode;
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ControlPlaneOptions>()
            .BindConfiguration(ControlPlaneOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        ConfigureEndpoints(builder);

        builder.Services.AddSingleton<DatabaseStatus>();
        builder.Services.AddHostedService<MigrationRunner>();

        builder.AddControlPlaneAccess();
        // The audit interceptor first, so it records the status the error interceptor makes of a failure.
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<ErrorInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        builder.AddControlPlaneCache();
        builder.AddControlPlaneTelemetry(serviceName);
        return builder;
    }

    /// <summary>/livez, /readyz, /api/health, grpc.health.v1 and server reflection.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Open by design (DESIGN §9, load balancers and probes carry no credential): health, reflection, /livez,
        // /readyz, /api/health (which shows no secret). /metrics is open unless Access:ProtectMetrics. Everything
        // else needs a role (the fallback policy).
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/livez", () => Results.Text("ok")).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready") }).AllowAnonymous();
        app.MapGet("/api/health", ApiHealthEndpoint.HandleAsync).AllowAnonymous();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (!app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.ProtectMetrics)
        {
            metrics.AllowAnonymous();
        }
        return app;
    }

    public static ServiceMode GetServiceMode(this IHostApplicationBuilder builder) =>
        builder.Properties.TryGetValue(typeof(ServiceMode), out var mode)
            ? (ServiceMode)mode
            : throw new InvalidOperationException("Call AddServiceDefaults() before adding ControlPlane services.");

    /// <summary>
    /// Two listeners: HTTP/1.1 for health endpoints and HTTP/2 for gRPC, because cleartext HTTP/2 cannot share
    /// a port with HTTP/1.1 (no TLS, so no ALPN to tell them apart). Loopback unless configured otherwise. An https://
    /// URL serves TLS (<see cref="KestrelTls"/>); the two listeners stay as they are, so both schemes look alike.
    /// </summary>
    private static void ConfigureEndpoints(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ControlPlaneOptions.SectionName).Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();
        var tls = KestrelTls.Load(TlsOptions.From(builder.Configuration), options.HttpUrl, options.GrpcUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, options.HttpUrl, HttpProtocols.Http1, "ControlPlane:HttpUrl", tls);
            Listen(kestrel, options.GrpcUrl, HttpProtocols.Http2, "ControlPlane:GrpcUrl", tls);
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, string setting, KestrelTls? tls)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{setting} must be an http:// or https://host:port URL, not '{url}'.");
        }
        var address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            _ => IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)
                ? ip
                : throw new InvalidOperationException($"{setting} must name an IP address or localhost, not '{uri.Host}'."),
        };
        kestrel.Listen(address, uri.Port, listen =>
        {
            listen.Protocols = protocols;
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                tls!.Use(listen);
            }
        });
    }
}
