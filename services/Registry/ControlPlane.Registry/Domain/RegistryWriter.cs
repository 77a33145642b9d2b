using ControlPlane.Contracts;
using ControlPlane.Registry.Bus;
using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.Bus;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Registry.Domain;

/// <summary>
/// The shared <see cref="EventWriter{TContext}"/>, plus the commit notice other replicas act on, the commit's events for
/// their watchers, and dropping the heartbeat cache of every instance written.
/// </summary>
public sealed class RegistryWriter(EventWriter<RegistryDbContext> writer, InstanceLeaseCache leases, BestEffortPublisher live)
{
    private const int LiveEventsAtMost = 500;

    public async Task<T> WriteAsync<T>(Func<RegistryWrite, Task<T>> work, CancellationToken cancellationToken, Lease? fence = null)
    {
        RegistryWrite? written = null;
        IReadOnlyList<EventRecord> appended = [];
        var result = await writer.WriteAsync(async write =>
        {
            // Its place is taken before the events' messages so that it is published first: other replicas' watchers
            // wake on it when the live copy below was lost, and need not wait for the rest of a large commit's messages.
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
            appended = write.Appended;
            return outcome;
        }, cancellationToken, fence);
        foreach (var id in written!.Touched)
        {
            leases.Forget(id);
        }
        // At once, not after the dispatcher has claimed the notice's row: the other replicas' watchers wait for it.
        // A commit bigger than a watcher's page (a release over more instances) is rare: its watchers read the log.
        if (appended.Count is > 0 and <= LiveEventsAtMost)
        {
            live.Publish(new InstanceEventsLive(appended));
        }
        return result;
    }
}
