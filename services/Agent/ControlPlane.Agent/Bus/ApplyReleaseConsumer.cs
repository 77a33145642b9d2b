using ControlPlane.Agent.Applying;
using ControlPlane.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Agent.Bus;

/// <summary>
/// Applies the releases sent to this Agent's own queue and answers ReleaseApplied or ReleaseFailed. A repeated
/// ApplyId (redelivery, or Rollouts resending after a restart) gets the first answer again, without applying.
/// Each hosted Agent has its own queue; the command names the Agent it is for.
/// </summary>
public sealed class ApplyReleaseConsumer(AgentSet agents, TimeProvider clock, ILogger<ApplyReleaseConsumer> logger)
    : IConsumer<ApplyRelease>
{
    public async Task Consume(ConsumeContext<ApplyRelease> context)
    {
        var command = context.Message;
        var queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];
        if (agents.Find(command.AgentId) is not { } hosted || AgentQueue.Name(command.AgentId) != queue)
        {
            // Misrouted (e.g. a queue reused after an Agent was renamed): applying it would update the wrong instance.
            AgentLog.NotAddressedHere(logger, command.InstanceId, command.AgentId, queue);
            await context.Publish(new ReleaseFailed(command.AgentId, command.InstanceId, command.RolloutId, command.ApplyId,
                command.Version, $"sent to Agent {command.AgentId}, received on queue {queue}", clock.GetUtcNow()));
            return;
        }
        var agent = hosted.Options;
        var (answer, repeated) = await hosted.Release.ApplyAsync(command, context.CancellationToken);
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
