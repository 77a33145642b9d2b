using ControlPlane.Agent;
using ControlPlane.Agent.Applying;
using ControlPlane.Agent.Bus;
using ControlPlane.Agent.Registration;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace Microsoft.Extensions.Hosting;

public static class AgentExtensions
{
    public static IHostApplicationBuilder AddAgent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Mode != ApplyMode.Supervise || o.Supervise.Command.Length > 0, "Agent:Supervise:Command is required in supervise mode")
            .Validate(o => o.Mode != ApplyMode.Exec || o.Exec.Command.Length > 0, "Agent:Exec:Command is required in exec mode")
            .ValidateOnStart();
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<InstanceHealthReader>();
        builder.Services.AddSingleton<ReleaseKeeper>();
        var mode = builder.Configuration.GetSection(AgentOptions.SectionName).GetValue<ApplyMode>(nameof(AgentOptions.Mode));
        if (mode == ApplyMode.Supervise)
        {
            builder.Services.AddSingleton<IReleaseApplier, SuperviseApplier>();
        }
        else
        {
            builder.Services.AddSingleton<IReleaseApplier, ExecApplier>();
        }
        builder.Services.AddHostedService<InstanceRegistration>();
        builder.Services.AddGrpcClient<RegistryClient>((sp, o) => o.Address = ServiceAddresses.Resolve(sp, sp.GetRequiredService<IOptions<AgentOptions>>().Value.RegistryUrl));

        var agentId = AgentId(builder.Configuration);
        builder.AddBusModule(bus => bus.AddConsumer<ApplyReleaseConsumer>().Endpoint(e =>
        {
            // The Agent's own queue, not bound to the ApplyRelease exchange: a command reaches exactly one Agent.
            e.Name = AgentQueue.Name(agentId);
            e.ConfigureConsumeTopology = false;
            e.ConcurrentMessageLimit = 1;
        }));
        return builder;
    }

    public static WebApplication MapAgent(this WebApplication app)
    {
        app.MapGet("/agent", (ReleaseKeeper release, IOptions<AgentOptions> options) => Results.Json(new
        {
            agentId = options.Value.EffectiveAgentId,
            instanceId = options.Value.InstanceId,
            app = options.Value.App,
            mode = options.Value.Mode.ToString().ToLowerInvariant(),
            version = release.Version,
            configHash = release.ConfigHash,
            appliedCount = release.AppliedCount,
        }));
        return app;
    }

    private static string AgentId(IConfiguration configuration)
    {
        var section = configuration.GetSection(AgentOptions.SectionName);
        return section[nameof(AgentOptions.AgentId)] is { Length: > 0 } id ? id : section[nameof(AgentOptions.InstanceId)] ?? "";
    }
}
