using ControlPlane.Contracts;
using ControlPlane.Rollouts;
using ControlPlane.Rollouts.Bus;
using ControlPlane.Rollouts.Data;
using ControlPlane.Rollouts.Domain;
using ControlPlane.Rollouts.Driving;
using ControlPlane.Rollouts.Grpc;
using ControlPlane.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace Microsoft.Extensions.Hosting;

public static class RolloutsExtensions
{
    public static IHostApplicationBuilder AddRollouts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RolloutsOptions>()
            .BindConfiguration(RolloutsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddControlPlaneDbContext<RolloutsDbContext, SqliteRolloutsDbContext, PostgresRolloutsDbContext, MySqlRolloutsDbContext>(RolloutsDbContext.Owner);
        builder.AddEventWriter<RolloutsDbContext>();
        builder.AddEventLogTrimmer<RolloutsDbContext>("rollouts-event-trim",
            sp => sp.GetRequiredService<IOptions<RolloutsOptions>>().Value.EventRetention);

        builder.Services.AddSingleton<RolloutSignal>();
        builder.Services.AddSingleton<RolloutSpans>();
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(RolloutsTelemetry.Name))
            .WithMetrics(m => m.AddMeter(RolloutsTelemetry.Name));
        builder.Services.AddScoped<RolloutStore>();
        builder.Services.AddScoped<StartRolloutCommand>();
        builder.Services.AddScoped<RolloutControl>();
        builder.Services.AddScoped<StartRequests>();
        builder.Services.AddScoped<FleetClients>();
        builder.Services.AddScoped<ReleaseSender>();
        builder.Services.AddScoped<HealthGate>();
        builder.Services.AddScoped<BackupGate>();
        builder.Services.AddScoped<StepRunner>();
        builder.Services.AddScoped<RolloutAdvancer>();
        builder.Services.AddHostedService<RolloutDriver>();
        if (builder.GetServiceMode().RabbitMqConnectionString is not null)
        {
            builder.Services.AddHostedService<StartQueueConsumer>();
        }

        builder.Services.AddGrpcClient<RegistryClient>((sp, o) => o.Address = ServiceAddresses.Resolve(sp, sp.GetRequiredService<IOptions<RolloutsOptions>>().Value.RegistryUrl))
            .AddControlPlaneCredentials();
        builder.Services.AddGrpcClient<HealthProbeClient>((sp, o) => o.Address = ServiceAddresses.Resolve(sp, sp.GetRequiredService<IOptions<RolloutsOptions>>().Value.HealthProbeUrl))
            .AddControlPlaneCredentials();
        builder.Services.AddGrpcClient<BackupsClient>((sp, o) => o.Address = ServiceAddresses.Resolve(sp, sp.GetRequiredService<IOptions<RolloutsOptions>>().Value.BackupsUrl))
            .AddControlPlaneCredentials();

        var replica = builder.GetReplicaId();
        builder.AddBusModule(bus =>
        {
            bus.AddConsumer<StartRolloutConsumer>().Endpoint(e => e.Name = "controlplane-rollouts-start-rollout");
            bus.AddConsumer<ReleaseAnswerConsumer>().Endpoint(e => e.Name = ReleaseAnswerConsumer.EndpointName);
            bus.AddConsumer<RolloutChangeConsumer>().Endpoint(e =>
            {
                e.Name = RolloutChangeConsumer.EndpointName;
                e.InstanceId = replica;
                e.Temporary = true;
            });
        });
        return builder;
    }

    public static WebApplication MapRollouts(this WebApplication app)
    {
        app.MapGrpcService<RolloutsGrpcService>();
        return app;
    }
}
