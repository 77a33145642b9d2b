using System.ComponentModel.DataAnnotations;
using ControlPlane.Agent;
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
    /// <summary>One Agent, configured by section "Agent" (the Agent host).</summary>
    public static IHostApplicationBuilder AddAgent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => Problems(o).Count == 0, "Agent: the command of the configured mode (Agent:Supervise:Command or Agent:Exec:Command) is required")
            .ValidateOnStart();
        return builder.AddAgents([AgentId(builder.Configuration)], sp => [sp.GetRequiredService<IOptions<AgentOptions>>().Value]);
    }

    /// <summary>Several Agents in this process, each with its own instance and queue (AllInOne's demo fleet).</summary>
    public static IHostApplicationBuilder AddAgents(this IHostApplicationBuilder builder, IReadOnlyList<AgentOptions> agents)
    {
        foreach (var agent in agents)
        {
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            Validator.TryValidateObject(agent, new ValidationContext(agent), results, validateAllProperties: true);
            var problems = results.Select(r => r.ErrorMessage ?? "").Concat(Problems(agent)).ToList();
            if (problems.Count > 0)
            {
                throw new OptionsValidationException(agent.InstanceId, typeof(AgentOptions), problems);
            }
        }
        return builder.AddAgents(agents.Select(a => a.EffectiveAgentId).ToList(), _ => agents);
    }

    public static WebApplication MapAgent(this WebApplication app)
    {
        app.MapGet("/agent", (AgentSet agents) => agents.All.Count == 1 ? Results.Json(Status(agents.All[0])) : Results.NotFound());
        app.MapGet("/agents", (AgentSet agents) => Results.Json(agents.All.Select(Status)));
        return app;
    }

    private static IHostApplicationBuilder AddAgents(this IHostApplicationBuilder builder, IReadOnlyList<string> agentIds,
        Func<IServiceProvider, IEnumerable<AgentOptions>> agents)
    {
        builder.Services.AddHttpClient();
        builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource(AgentTelemetry.Name));
        builder.Services.AddSingleton(sp => new AgentSet(agents(sp).Select(a => HostedAgent.Create(sp, a)).ToList()));
        builder.Services.AddHostedService<AgentRegistrations>();
        builder.Services.AddGrpcClient<RegistryClient>((sp, o) => o.Address = ServiceAddresses.Resolve(sp,
            sp.GetRequiredService<AgentSet>().All.Select(a => a.Options.RegistryUrl).FirstOrDefault(u => u.Length > 0) ?? ""))
            .AddControlPlaneCredentials();
        builder.AddBusModule(bus => bus.AddConsumer<ApplyReleaseConsumer>().ExcludeFromConfigureEndpoints());
        builder.AddBusEndpoints((context, cfg) =>
        {
            foreach (var agentId in agentIds)
            {
                cfg.ReceiveEndpoint(AgentQueue.Name(agentId), e =>
                {
                    // The Agent's own queue, not bound to the ApplyRelease exchange: a command reaches exactly one Agent.
                    e.ConfigureConsumeTopology = false;
                    e.ConcurrentMessageLimit = 1;
                    e.ConfigureConsumer<ApplyReleaseConsumer>(context);
                });
            }
        });
        return builder;
    }

    private static List<string> Problems(AgentOptions agent) => agent.Mode switch
    {
        ApplyMode.Supervise when agent.Supervise.Command.Length == 0 => ["Agent:Supervise:Command is required in supervise mode"],
        ApplyMode.Exec when agent.Exec.Command.Length == 0 => ["Agent:Exec:Command is required in exec mode"],
        _ => [],
    };

    private static object Status(HostedAgent agent) => new
    {
        agentId = agent.AgentId,
        instanceId = agent.Options.InstanceId,
        app = agent.Options.App,
        mode = agent.Options.Mode.ToString().ToLowerInvariant(),
        version = agent.Release.Version,
        configHash = agent.Release.ConfigHash,
        appliedCount = agent.Release.AppliedCount,
    };

    private static string AgentId(IConfiguration configuration)
    {
        var section = configuration.GetSection(AgentOptions.SectionName);
        return section[nameof(AgentOptions.AgentId)] is { Length: > 0 } id ? id : section[nameof(AgentOptions.InstanceId)] ?? "";
    }
}
