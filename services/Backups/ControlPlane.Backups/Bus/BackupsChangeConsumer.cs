using ControlPlane.Backups.Data;
using ControlPlane.Backups.Operations;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.EventLog;
using MassTransit;

namespace ControlPlane.Backups.Bus;

/// <summary>
/// Runs on every replica, on a queue of its own: a change committed by any replica wakes this replica's watchers
/// and its worker (new work may be queued), and another replica's progress reaches this replica's watchers.
/// Idempotent: every action is safe to repeat.
/// </summary>
public sealed class BackupsChangeConsumer(ChangeNotifier<BackupsDbContext> changes, OperationSignal work, ProgressHub progress)
    : IConsumer<IBackupEvent>, IConsumer<BackupProgressed>
{
    public const string EndpointName = "backups-changes";

    public Task Consume(ConsumeContext<IBackupEvent> context)
    {
        changes.Notify(context.Message.Revision);
        work.Notify();
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<BackupProgressed> context)
    {
        progress.Receive(context.Message);
        return Task.CompletedTask;
    }
}
