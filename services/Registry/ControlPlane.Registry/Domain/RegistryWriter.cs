using ControlPlane.Contracts;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// The shared <see cref="EventWriter{TContext}"/>, plus the commit notice other replicas act on, and dropping the
/// heartbeat cache of every instance written.
/// </summary>
public sealed class RegistryWriter(EventWriter<RegistryDbContext> writer, InstanceLeaseCache leases)
{
    public async Task<T> WriteAsync<T>(Func<RegistryWrite, Task<T>> work, CancellationToken cancellationToken, Lease? fence = null)
    {
        RegistryWrite? written = null;
        var result = await writer.WriteAsync(async write =>
        {
            // Its place is taken before the events' messages so that it is published first: other replicas' watchers
            // wake on it, and need not wait for the rest of a large commit's messages.
            var notice = write.Db.ReserveOutboxMessage();
            var firstRevision = write.Revision + 1;
            var outcome = await work(written = new RegistryWrite(write));
            if (written.Touched.Count > 0)
            {
                notice.Fill(new InstanceEventsCommitted(firstRevision, written.Revision, written.Touched.Distinct().ToList(), written.NowOffset));
            }
            else
            {
                write.Db.Remove(notice);
            }
            return outcome;
        }, cancellationToken, fence);
        foreach (var id in written!.Touched)
        {
            leases.Forget(id);
        }
        return result;
    }
}
