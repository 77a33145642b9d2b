using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.Registry.Domain;
using ControlPlane.ServiceDefaults.EventLog;
using MassTransit;

namespace ControlPlane.Registry.Bus;

/// <summary>
/// Runs on every replica, on a queue of its own: a change committed by any replica wakes this replica's
/// watchers and drops its cached view of the instance. Idempotent: both actions are safe to repeat.
/// </summary>
public sealed class RegistryChangeConsumer(ChangeNotifier<RegistryDbContext> changes, InstanceLeaseCache leases)
    : IConsumer<IRegistryEvent>, IConsumer<IInstanceEvent>
{
    public const string EndpointName = "registry-changes";

    public Task Consume(ConsumeContext<IRegistryEvent> context)
    {
        changes.Notify();
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<IInstanceEvent> context)
    {
        leases.Forget(context.Message.InstanceId);
        return Task.CompletedTask;
    }
}
