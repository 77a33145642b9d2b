using ControlPlane.Backups;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Bus;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Engines;
using ControlPlane.Backups.Grpc;
using ControlPlane.Backups.Operations;
using ControlPlane.Backups.Policy;
using ControlPlane.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace Microsoft.Extensions.Hosting;

public static class BackupsExtensions
{
    public static IHostApplicationBuilder AddBackups(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<BackupsOptions>, BackupsOptionsValidator>();
        builder.Services.AddOptions<BackupsOptions>()
            .BindConfiguration(BackupsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddControlPlaneDbContext<BackupsDbContext, SqliteBackupsDbContext, PostgresBackupsDbContext, MySqlBackupsDbContext>(BackupsDbContext.Owner);
        builder.AddEventWriter<BackupsDbContext>();
        builder.AddEventLogTrimmer<BackupsDbContext>("backups-event-trim",
            sp => sp.GetRequiredService<IOptions<BackupsOptions>>().Value.EventRetention);

        builder.Services.AddSingleton<ArtifactRepository>();
        builder.Services.AddSingleton<EncryptionKeyRing>();
        builder.Services.AddSingleton<PgTools>();
        builder.Services.AddSingleton<PostgresEngine>();
        builder.Services.AddSingleton<MySqlTools>();
        builder.Services.AddSingleton<MySqlEngine>();
        builder.Services.AddSingleton<SqliteEngine>();
        builder.Services.AddSingleton<BackupTargets>();
        builder.Services.AddSingleton<ProgressHub>();
        builder.Services.AddSingleton<OperationSignal>();
        builder.Services.AddSingleton<RunningOperations>();
        builder.Services.AddSingleton<BackupsWatch>();
        builder.Services.AddScoped<BackupsWriter>();
        builder.Services.AddScoped<BackupCommands>();
        builder.Services.AddScoped<RestoreCommands>();
        builder.Services.AddScoped<PolicyCommands>();
        builder.Services.AddScoped<BackupQueries>();
        builder.Services.AddScoped<OperationClaims>();
        builder.Services.AddScoped<BackupRunner>();
        builder.Services.AddScoped<VerifyRunner>();
        builder.Services.AddScoped<RestoreRunner>();
        builder.Services.AddScoped<FleetConfigCollector>();
        builder.Services.AddScoped<OrphanReaper>();
        builder.Services.AddScoped<ScheduleRunner>();
        builder.Services.AddScoped<RetentionEnforcer>();
        builder.Services.AddScoped<FreshnessMonitor>();
        builder.Services.AddHostedService<OperationWorker>();
        builder.Services.AddHostedService<BackupScheduler>();
        builder.Services.AddHealthChecks().AddCheck<BackupsHealthCheck>("backups", HealthStatus.Degraded, ["ready"]);

        // A named client: other services in the same process (AllInOne) configure their own RegistryClient.
        builder.Services.AddGrpcClient<RegistryClient>(FleetConfigCollector.RegistryClientName, (sp, o) =>
            o.Address = ServiceAddresses.Resolve(sp, sp.GetRequiredService<IConfiguration>()[$"{BackupsOptions.SectionName}:RegistryUrl"]))
            .AddControlPlaneCredentials();

        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(BackupsTelemetry.Name))
            .WithMetrics(m => m.AddMeter(BackupsTelemetry.Name));

        var replica = builder.GetReplicaId();
        builder.AddBusModule(bus =>
        {
            bus.AddConsumer<CreateBackupConsumer, CreateBackupConsumerDefinition>();
            bus.AddConsumer<BackupsChangeConsumer>().Endpoint(e =>
            {
                e.Name = BackupsChangeConsumer.EndpointName;
                e.InstanceId = replica;
                e.Temporary = true;
            });
        });
        return builder;
    }

    public static WebApplication MapBackups(this WebApplication app)
    {
        app.MapGrpcService<BackupsGrpcService>();
        return app;
    }
}
