using ControlPlane.Agent.Applying;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Agent;

/// <summary>One Agent of this process: the instance it runs beside and the keeper of that instance's release.</summary>
public sealed class HostedAgent
{
    private HostedAgent(AgentOptions options, ReleaseKeeper release)
    {
        Options = options;
        Release = release;
    }

    public AgentOptions Options { get; }

    public ReleaseKeeper Release { get; }

    public string AgentId => Options.EffectiveAgentId;

    internal static HostedAgent Create(IServiceProvider services, AgentOptions options)
    {
        IReleaseApplier applier = options.Mode == ApplyMode.Supervise
            ? ActivatorUtilities.CreateInstance<SuperviseApplier>(services, options)
            : new ExecApplier(options);
        var reader = ActivatorUtilities.CreateInstance<InstanceHealthReader>(services, options);
        return new HostedAgent(options, ActivatorUtilities.CreateInstance<ReleaseKeeper>(services, options, applier, reader));
    }
}

/// <summary>
/// The Agents this process hosts: one in the Agent host, several in AllInOne's demo fleet (whose in-memory bus only
/// reaches consumers in the same process).
/// </summary>
public sealed class AgentSet(IReadOnlyList<HostedAgent> agents) : IDisposable
{
    public IReadOnlyList<HostedAgent> All => agents;

    public HostedAgent? Find(string agentId) => agents.FirstOrDefault(a => a.AgentId == agentId);

    public void Dispose()
    {
        foreach (var agent in agents)
        {
            agent.Release.Dispose();
        }
    }
}
