using ControlPlane.Agent.Applying;
using ControlPlane.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Agent.Bus;

/// <summary>
/// Applies the releases sent to this Agent's own queue and answers ReleaseApplied or ReleaseFailed. A repeated
/// ApplyId (redelivery, or Rollouts resending after a restart) gets the first answer again, without applying.
/// </summary>
public sealed class ApplyReleaseConsumer(ReleaseKeeper release, IOptions<AgentOptions> options, TimeProvider clock, ILogger<ApplyReleaseConsumer> logger)
    : IConsumer<ApplyRelease>
{
    public async Task Consume(ConsumeContext<ApplyRelease> context)
    {
        var command = context.Message;
        var agent = options.Value;
        if (command.AgentId != agent.EffectiveAgentId)
        {
            // Misrouted (e.g. a queue reused after an Agent was renamed): applying it would update the wrong instance.
            AgentLog.NotAddressedHere(logger, agent.InstanceId, command.AgentId, agent.EffectiveAgentId);
            await context.Publish(new ReleaseFailed(agent.EffectiveAgentId, command.InstanceId, command.RolloutId, command.ApplyId,
                command.Version, $"sent to Agent {command.AgentId}, received by {agent.EffectiveAgentId}", clock.GetUtcNow()));
            return;
        }
        var (answer, repeated) = await release.ApplyAsync(command, context.CancellationToken);
        var now = clock.GetUtcNow();
        if (answer.Ok)
        {
            await context.Publish(new ReleaseApplied(agent.EffectiveAgentId, agent.InstanceId, command.RolloutId, command.ApplyId,
                answer.Version, answer.ConfigHash, repeated, now));
        }
        else
        {
            await context.Publish(new ReleaseFailed(agent.EffectiveAgentId, agent.InstanceId, command.RolloutId, command.ApplyId,
                answer.Version, answer.Error, now));
        }
    }
}
