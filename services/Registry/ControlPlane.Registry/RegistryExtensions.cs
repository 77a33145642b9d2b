using ControlPlane.Registry.Bus;
using ControlPlane.Registry.Data;
using ControlPlane.Registry.Domain;
using ControlPlane.Registry.Grpc;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class RegistryExtensions
{
    public static IHostApplicationBuilder AddRegistry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddControlPlaneDbContext<RegistryDbContext, SqliteRegistryDbContext, PostgresRegistryDbContext, MySqlRegistryDbContext>(RegistryDbContext.Owner);
        builder.AddEventWriter<RegistryDbContext>();
        builder.AddEventLogTrimmer<RegistryDbContext>("registry-event-trim",
            sp => sp.GetRequiredService<IOptions<RegistryOptions>>().Value.EventRetention);

        builder.Services.AddSingleton<InstanceLeaseCache>();
        builder.Services.AddScoped<RegistryWriter>();
        builder.Services.AddScoped<InstanceCommands>();
        builder.Services.AddScoped<AppCommands>();
        builder.Services.AddScoped<RegistryQueries>();
        builder.Services.AddMemoryCache();
        builder.Services.AddHostedService<HeartbeatFlusher>();
        builder.Services.AddHostedService<LeaseReaper>();
        builder.AddAccessApi();

        var replica = builder.GetReplicaId();
        builder.AddBusModule(bus => bus.AddConsumer<RegistryChangeConsumer>().Endpoint(e =>
        {
            e.Name = RegistryChangeConsumer.EndpointName;
            e.InstanceId = replica;
            e.Temporary = true;
        }));
        return builder;
    }

    public static WebApplication MapRegistry(this WebApplication app)
    {
        app.MapGrpcService<RegistryGrpcService>();
        app.MapAccessApi();
        return app;
    }
}
