using ControlPlane.Contracts;
using ControlPlane.Rollouts.Data;
using ControlPlane.ServiceDefaults.EventLog;
using MassTransit;

namespace ControlPlane.Rollouts.Bus;

/// <summary>Runs on every replica, on a queue of its own: a change committed by any replica wakes this replica's watchers.</summary>
public sealed class RolloutChangeConsumer(ChangeNotifier<RolloutsDbContext> changes) : IConsumer<IRolloutEvent>
{
    public const string EndpointName = "rollouts-changes";

    public Task Consume(ConsumeContext<IRolloutEvent> context)
    {
        changes.Notify(context.Message.Revision);
        return Task.CompletedTask;
    }
}
