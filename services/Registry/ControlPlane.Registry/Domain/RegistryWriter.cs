using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;
using ControlPlane.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// The shared <see cref="EventWriter{TContext}"/>, plus the commit notice other replicas act on, and dropping the
/// heartbeat cache of every instance written.
/// </summary>
public sealed class RegistryWriter(EventWriter<RegistryDbContext> writer, InstanceLeaseCache leases, OutboxShortcut shortcut)
{
    public async Task<T> WriteAsync<T>(Func<RegistryWrite, Task<T>> work, CancellationToken cancellationToken, Lease? fence = null)
    {
        RegistryWrite? written = null;
        (InstanceEventsCommitted Message, Guid Id)? notice = null;
        var result = await writer.WriteAsync(async write =>
        {
            // Its place is taken before the events' messages so that the dispatcher publishes it first.
            var row = write.Db.ReserveOutboxMessage();
            var firstRevision = write.Revision + 1;
            var outcome = await work(written = new RegistryWrite(write));
            if (written.Touched.Count > 0)
            {
                notice = (new InstanceEventsCommitted(firstRevision, written.Revision, written.Touched.Distinct().ToList(), written.NowOffset),
                    row.MessageId);
                row.Fill(notice.Value.Message);
            }
            else
            {
                write.Db.Remove(row);
            }
            return outcome;
        }, cancellationToken, fence);
        foreach (var id in written!.Touched)
        {
            leases.Forget(id);
        }
        // Other replicas' watchers wake on it: sent now, not after the dispatcher has claimed its row.
        if (notice is { } committed)
        {
            shortcut.Publish(committed.Message, committed.Id);
        }
        return result;
    }
}
