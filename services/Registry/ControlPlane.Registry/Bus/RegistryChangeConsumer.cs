using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.Registry.Domain;
using ControlPlane.ServiceDefaults.EventLog;
using MassTransit;

namespace ControlPlane.Registry.Bus;

/// <summary>
/// Runs on every replica, on a queue of its own: a change committed by any replica wakes this replica's
/// watchers and drops its cached view of the instance. Idempotent: both actions are safe to repeat.
/// Every event of the log is an instance's, announced by one <see cref="IInstanceEvent"/>; app messages
/// (<see cref="AppUpserted"/>) add nothing to the log, so they are not consumed here. One message type, not
/// two, also means one trip through the consume pipeline per message.
/// </summary>
public sealed class RegistryChangeConsumer(ChangeNotifier<RegistryDbContext> changes, InstanceLeaseCache leases)
    : IConsumer<IInstanceEvent>
{
    public const string EndpointName = "registry-changes";

    public Task Consume(ConsumeContext<IInstanceEvent> context)
    {
        leases.Forget(context.Message.InstanceId);
        changes.Notify(context.Message.Revision);
        return Task.CompletedTask;
    }
}
