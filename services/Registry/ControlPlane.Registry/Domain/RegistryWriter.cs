using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;
using ControlPlane.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// Runs a change as one transaction with the events that announce it, then wakes the outbox dispatcher and
/// local watchers. Writers are ordered by the event log's revision lock, taken first.
/// </summary>
public sealed class RegistryWriter(
    RegistryDbContext db,
    OutboxSignal<RegistryDbContext> outbox,
    ChangeNotifier<RegistryDbContext> changes,
    InstanceLeaseCache leases,
    TimeProvider clock)
{
    public async Task<T> WriteAsync<T>(Func<RegistryWrite, Task<T>> work, CancellationToken cancellationToken, Lease? fence = null)
    {
        T result;
        List<string> touched;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (fence is not null)
            {
                await LeaseStore.FenceAsync(db, fence, clock, cancellationToken);
            }
            var log = await EventLogTransaction.BeginAsync(db, cancellationToken);
            result = await work(new RegistryWrite(db, log, clock.GetUtcNow().UtcDateTime));
            await log.CompleteAsync(cancellationToken);
            touched = db.ChangeTracker.Entries<InstanceRecord>().Select(e => e.Entity.InstanceId).ToList();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var id in touched)
        {
            leases.Forget(id);
        }
        outbox.Notify();
        changes.Notify();
        return result;
    }
}
