using Microsoft.Extensions.Caching.Memory;

namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>Single-instance mode: the process is the only writer, so its own memory is a correct cache.</summary>
public sealed class MemoryCacheStore(IMemoryCache memory) : ICacheStore
{
    public bool Shared => false;

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(memory.TryGetValue(key, out byte[]? value) ? value : null);

    public Task SetAsync(string key, byte[] value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        memory.Set(key, value, ttl);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        memory.Remove(key);
        return Task.CompletedTask;
    }
}

/// <summary>HA without Redis: a per-replica memory cache would go stale when another replica writes, so nothing is cached.</summary>
public sealed class NoCacheStore : ICacheStore
{
    public bool Shared => false;

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);

    public Task SetAsync(string key, byte[] value, TimeSpan ttl, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
}
