namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>
/// The shared cache for hot reads. A cache outage never fails a call: reads miss and writes are skipped, so
/// callers fall back to the database.
/// </summary>
public interface ICacheStore
{
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    Task SetAsync(string key, byte[] value, TimeSpan ttl, CancellationToken cancellationToken);

    Task RemoveAsync(string key, CancellationToken cancellationToken);
}
