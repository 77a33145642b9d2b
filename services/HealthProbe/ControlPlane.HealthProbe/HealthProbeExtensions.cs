using ControlPlane.HealthProbe;
using ControlPlane.HealthProbe.Bus;
using ControlPlane.HealthProbe.Data;
using ControlPlane.HealthProbe.Grpc;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.HealthProbe.State;
using ControlPlane.HealthProbe.Targets;
using ControlPlane.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace Microsoft.Extensions.Hosting;

public static class HealthProbeExtensions
{
    public static IHostApplicationBuilder AddHealthProbe(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthProbeOptions>()
            .BindConfiguration(HealthProbeOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedNetworks.Concat(o.DeniedNetworks).All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "HealthProbe:AllowedNetworks and DeniedNetworks must be CIDR networks such as 10.0.0.0/8")
            .ValidateOnStart();
        builder.AddControlPlaneDbContext<HealthProbeDbContext, SqliteHealthProbeDbContext, PostgresHealthProbeDbContext, MySqlHealthProbeDbContext>(HealthProbeDbContext.Owner);
        builder.AddEventWriter<HealthProbeDbContext>();
        builder.AddEventLogTrimmer<HealthProbeDbContext>("healthprobe-event-trim",
            sp => sp.GetRequiredService<IOptions<HealthProbeOptions>>().Value.EventRetention);

        builder.Services.AddSingleton<TargetPolicy>();
        builder.Services.AddSingleton<ProberMembership>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProberMembership>());
        builder.Services.AddSingleton<HttpProber>();
        builder.Services.AddSingleton<GrpcProber>();
        builder.Services.AddSingleton<InstanceProber>();
        builder.Services.AddSingleton(sp =>
        {
            var monitor = ActivatorUtilities.CreateInstance<HealthMonitor>(sp);
            HealthProbeTelemetry.ObserveFleet(monitor);
            return monitor;
        });
        builder.Services.AddSingleton<ProbeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProbeFeed>());
        builder.Services.AddSingleton<HealthQueries>();
        builder.Services.AddSingleton<HealthWatch>();
        builder.Services.AddSingleton<TransitionWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TransitionWriter>());
        builder.Services.AddHostedService<RegistryFeed>();
        builder.Services.AddHostedService<ProbeScheduler>();

        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(HealthProbeTelemetry.SourceName))
            .WithMetrics(m => m.AddMeter(HealthProbeTelemetry.MeterName));
        builder.Services.AddGrpcClient<RegistryClient>((sp, o) =>
            o.Address = ServiceAddresses.Resolve(sp, sp.GetRequiredService<IOptions<HealthProbeOptions>>().Value.RegistryUrl))
            .AddControlPlaneCredentials();

        var replica = builder.GetReplicaId();
        builder.AddBusModule(bus =>
        {
            bus.AddConsumer<AppSpecConsumer>().Endpoint(e =>
            {
                e.Name = AppSpecConsumer.EndpointName;
                e.InstanceId = replica;
                e.Temporary = true;
            });
            bus.AddConsumer<HealthChangeConsumer>().Endpoint(e =>
            {
                e.Name = HealthChangeConsumer.EndpointName;
                e.InstanceId = replica;
                e.Temporary = true;
            });
        });
        return builder;
    }

    public static WebApplication MapHealthProbe(this WebApplication app)
    {
        app.MapGrpcService<HealthProbeGrpcService>();
        return app;
    }
}
