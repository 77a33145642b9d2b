using ControlPlane.Registry.Data;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;

namespace ControlPlane.Registry.Domain;

/// <summary>The shared <see cref="EventWriter{TContext}"/>, plus dropping the heartbeat cache of every instance written.</summary>
public sealed class RegistryWriter(EventWriter<RegistryDbContext> writer, InstanceLeaseCache leases)
{
    public async Task<T> WriteAsync<T>(Func<RegistryWrite, Task<T>> work, CancellationToken cancellationToken, Lease? fence = null)
    {
        RegistryWrite? written = null;
        var result = await writer.WriteAsync(write => work(written = new RegistryWrite(write)), cancellationToken, fence);
        foreach (var id in written!.Touched)
        {
            leases.Forget(id);
        }
        return result;
    }
}
