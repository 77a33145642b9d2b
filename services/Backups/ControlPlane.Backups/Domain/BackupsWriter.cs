using ControlPlane.Backups.Data;
using ControlPlane.Backups.Operations;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;

namespace ControlPlane.Backups.Domain;

/// <summary>The shared <see cref="EventWriter{TContext}"/>, waking this replica's worker after every commit (new work may wait).</summary>
public sealed class BackupsWriter(EventWriter<BackupsDbContext> writer, OperationSignal work)
{
    public BackupsDbContext Db => writer.Db;

    public async Task<T> WriteAsync<T>(Func<BackupsWrite, Task<T>> change, CancellationToken cancellationToken, Lease? fence = null)
    {
        var result = await writer.WriteAsync(write => change(new BackupsWrite(write)), cancellationToken, fence);
        work.Notify();
        return result;
    }
}
