using ControlPlane.ServiceDefaults.Bus;
using ControlPlane.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class BusExtensions
{
    private sealed class BusModules : List<Action<IBusRegistrationConfigurator>>;

    private sealed class BusEndpoints : List<Action<IBusRegistrationContext, IReceiveConfigurator>>;

    /// <summary>
    /// Adds a service's consumers to the one bus of the process. MassTransit takes a single registration, so
    /// each service's <c>Add…()</c> contributes here and <see cref="AddControlPlaneBus"/> registers them all.
    /// </summary>
    public static IHostApplicationBuilder AddBusModule(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        if (!builder.Properties.TryGetValue(typeof(BusModules), out var modules))
        {
            builder.Properties[typeof(BusModules)] = modules = new BusModules();
        }
        ((BusModules)modules).Add(configure);
        builder.Services.TryAddSingleton<BestEffortPublisher>();
        return builder;
    }

    /// <summary>
    /// Receive endpoints declared by hand, on either transport: for a consumer that needs several endpoints of its
    /// own (one queue per hosted Agent), which ConfigureEndpoints' one-endpoint-per-consumer cannot express.
    /// </summary>
    public static IHostApplicationBuilder AddBusEndpoints(this IHostApplicationBuilder builder, Action<IBusRegistrationContext, IReceiveConfigurator> configure)
    {
        if (!builder.Properties.TryGetValue(typeof(BusEndpoints), out var endpoints))
        {
            builder.Properties[typeof(BusEndpoints)] = endpoints = new BusEndpoints();
        }
        ((BusEndpoints)endpoints).Add(configure);
        return builder;
    }

    /// <summary>RabbitMQ when ConnectionStrings:RabbitMq is set (required in HA), else MassTransit's in-memory transport.</summary>
    public static IHostApplicationBuilder AddControlPlaneBus(this IHostApplicationBuilder builder)
    {
        var mode = builder.GetServiceMode();
        var modules = builder.Properties.TryGetValue(typeof(BusModules), out var found) ? (BusModules)found : [];
        var endpoints = builder.Properties.TryGetValue(typeof(BusEndpoints), out var declared) ? (BusEndpoints)declared : [];
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit 8.5 reports usage telemetry to masstransit.io by default: no phone-home from a control plane
            // (and without internet it logs a warning with a stack trace at every start).
            bus.DisableUsageTelemetry();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.MinimalFailureStatus = HealthStatus.Unhealthy;
                health.Tags.Add("ready");
            });
            foreach (var module in modules)
            {
                module(bus);
            }
            if (mode.RabbitMqConnectionString is { } rabbit)
            {
                var address = RabbitMqAddress.Parse(rabbit);
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
                    {
                        h.Username(address.Username);
                        h.Password(address.Password);
                        h.Heartbeat(TimeSpan.FromSeconds(5));
                        h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                    });
                    Configure(context, cfg);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => Configure(context, cfg));
            }
        });
        return builder;

        void Configure<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> cfg)
            where TEndpoint : IReceiveEndpointConfigurator
        {
            foreach (var endpoint in endpoints)
            {
                endpoint(context, cfg);
            }
            cfg.ConfigureEndpoints(context);
        }
    }

    /// <summary>The replica id, for per-replica (temporary) endpoints that every replica needs its own of.</summary>
    public static string GetReplicaId(this IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection(ControlPlaneOptions.SectionName).Get<ControlPlaneOptions>()?.InstanceId
        ?? new ControlPlaneOptions().InstanceId;
}
