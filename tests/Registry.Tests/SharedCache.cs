using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ControlPlane.Registry.Tests;

public enum CacheServerKind
{
    Redis,
    Memcached,
}

/// <summary>
/// The shared cache a test's replicas use, and the test's own view into it, as another replica would see it: Redis
/// keys directly, memcached through a store of its own (its entries carry the cache generation before the value).
/// </summary>
public sealed class SharedCache : IAsyncDisposable
{
    private readonly IConnectionMultiplexer? _redis;
    private readonly MemcachedClient? _memcached;
    private readonly MemcachedCacheStore? _store;

    private SharedCache(CacheServerKind kind, string address, IConnectionMultiplexer? redis, MemcachedClient? memcached)
    {
        Settings = Configure(kind, address);
        _redis = redis;
        _memcached = memcached;
        _store = memcached is null ? null : new MemcachedCacheStore(memcached, NullLogger<MemcachedCacheStore>.Instance);
    }

    /// <summary>The replicas' settings: ConnectionStrings:Redis or ConnectionStrings:Memcached.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>The shared server of that kind started by scripts/dev-services.</summary>
    public static async Task<SharedCache> OpenAsync(CacheServerKind kind) => kind switch
    {
        CacheServerKind.Redis => new SharedCache(kind, BackingServices.Redis, await ConnectionMultiplexer.ConnectAsync(BackingServices.Redis), null),
        _ => OpenMemcached(BackingServices.Memcached),
    };

    public static SharedCache OpenMemcached(string address) =>
        new(CacheServerKind.Memcached, address, null, new MemcachedClient(MemcachedEndpoint.Parse(address)));

    /// <summary>Settings that point the replicas at a port nothing listens on.</summary>
    public static Dictionary<string, string?> Unreachable(CacheServerKind kind) => Configure(kind, $"127.0.0.1:{FreePorts.Next()}");

    /// <summary>The cached value of <paramref name="key"/> (the key as the services name it, without "cp:").</summary>
    public async Task<byte[]?> GetAsync(string key) => _redis is not null
        ? (byte[]?)await _redis.GetDatabase().StringGetAsync("cp:" + key)
        : await _store!.GetAsync(key, CancellationToken.None);

    public async Task<bool> ContainsAsync(string key) => await GetAsync(key) is not null;

    /// <summary>Writes an entry as a replica would.</summary>
    public async Task PlantAsync(string key, byte[] value)
    {
        if (_redis is not null)
        {
            await _redis.GetDatabase().StringSetAsync("cp:" + key, value, TimeSpan.FromSeconds(30));
        }
        else
        {
            await _store!.SetAsync(key, value, TimeSpan.FromSeconds(30), CancellationToken.None);
        }
    }

    private static Dictionary<string, string?> Configure(CacheServerKind kind, string address) => new() { [$"ConnectionStrings:{kind}"] = address };

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_memcached is not null)
        {
            await _memcached.DisposeAsync();
        }
    }
}
