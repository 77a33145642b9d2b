using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.Registry.Domain;
using ControlPlane.ServiceDefaults.EventLog;
using MassTransit;

namespace ControlPlane.Registry.Bus;

/// <summary>
/// Runs on every replica, on a queue of its own: a commit made on any replica wakes this replica's watchers and
/// drops its cached view of the instances it changed. Idempotent: both actions are safe to repeat.
/// It takes each commit's one <see cref="InstanceEventsCommitted"/>, not the commit's event messages: a release
/// that moves 50 instances is one consume here, not 50. The commit's <see cref="InstanceEventsLive"/>, when it
/// comes, usually first, hands its events to the watchers that have sent everything before them.
/// </summary>
public sealed class RegistryChangeConsumer(ChangeNotifier<RegistryDbContext> changes, InstanceLeaseCache leases)
    : IConsumer<InstanceEventsCommitted>, IConsumer<InstanceEventsLive>
{
    public const string EndpointName = "registry-changes";

    public Task Consume(ConsumeContext<InstanceEventsCommitted> context)
    {
        foreach (var instanceId in context.Message.InstanceIds)
        {
            leases.Forget(instanceId);
        }
        changes.Notify(context.Message.LastRevision);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<InstanceEventsLive> context)
    {
        var events = context.Message.Events;
        foreach (var instanceId in events.Select(e => e.Subject).Distinct())
        {
            leases.Forget(instanceId);
        }
        if (events.Count > 0)
        {
            changes.Notify(events[^1].Revision, events);
        }
        return Task.CompletedTask;
    }
}
