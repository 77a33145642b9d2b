namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>
/// The shared cache for hot reads. A cache outage never fails a call: reads miss and writes are skipped, so
/// callers fall back to the database.
/// </summary>
public interface ICacheStore
{
    /// <summary>Whether other replicas read what this store holds (Redis), rather than only this process.</summary>
    bool Shared { get; }

    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    Task SetAsync(string key, byte[] value, TimeSpan ttl, CancellationToken cancellationToken);

    Task RemoveAsync(string key, CancellationToken cancellationToken);
}
