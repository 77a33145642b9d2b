using System.Net;
using ControlPlane.DemoApp;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static class DemoAppExtensions
{
    public static WebApplicationBuilder AddDemoApp(this WebApplicationBuilder builder, string[] args)
    {
        // Short forms scripts use (--port 3001, DEMOAPP_PORT=3001) beside the standard DemoApp:Port / DemoApp__Port;
        // the switches win, then the DEMOAPP_ variables.
        builder.Configuration.AddInMemoryCollection(DemoOptions.Sources
            .Where(s => Environment.GetEnvironmentVariable(s.Variable) is not null)
            .Select(s => KeyValuePair.Create($"{DemoOptions.SectionName}:{s.Key}", Environment.GetEnvironmentVariable(s.Variable))));
        builder.Configuration.AddCommandLine(args, DemoOptions.Sources.ToDictionary(s => s.Switch, s => $"{DemoOptions.SectionName}:{s.Key}"));

        builder.Services.AddOptions<DemoOptions>()
            .BindConfiguration(DemoOptions.SectionName)
            .PostConfigure(o => o.InstanceId = string.IsNullOrWhiteSpace(o.InstanceId) ? $"demo-{o.Port}" : o.InstanceId)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<DemoOptions>>((kestrel, options) =>
        {
            // Cleartext HTTP/2 cannot share a port with HTTP/1.1 (no TLS, so no ALPN): one listener each.
            Listen(kestrel, options.Value.Bind, options.Value.Port, HttpProtocols.Http1);
            if (options.Value.GrpcPort is { } grpcPort)
            {
                Listen(kestrel, options.Value.Bind, grpcPort, HttpProtocols.Http2);
            }
        });
        // A hung health request must not hold up an exit a test asked for.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);

        builder.Services.AddSingleton<FaultState>();
        builder.Services.AddSingleton<ProcessExit>();
        builder.Services.AddHostedService<StartupFaults>();
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks().AddCheck<ReadinessHealthCheck>("readiness");
        return builder;
    }

    public static WebApplication MapDemoApp(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapFaultEndpoints();
        app.MapGrpcHealthChecksService();
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, string bind, int port, HttpProtocols protocols)
    {
        Action<ListenOptions> configure = listen => listen.Protocols = protocols;
        switch (bind)
        {
            case "*":
                kestrel.ListenAnyIP(port, configure);
                break;
            case "localhost":
                kestrel.ListenLocalhost(port, configure);
                break;
            default:
                kestrel.Listen(IPAddress.Parse(bind), port, configure);
                break;
        }
    }
}
