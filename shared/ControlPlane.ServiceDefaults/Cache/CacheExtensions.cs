using ControlPlane.ServiceDefaults.Cache;
using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class CacheExtensions
{
    /// <summary>
    /// Redis when ConnectionStrings:Redis is set, memcached when ConnectionStrings:Memcached is (both at once is refused
    /// by <see cref="ControlPlane.ServiceDefaults.Hosting.ServiceMode"/>); otherwise memory (single instance) or no cache (HA).
    /// </summary>
    public static IHostApplicationBuilder AddControlPlaneCache(this IHostApplicationBuilder builder)
    {
        var mode = builder.GetServiceMode();
        var health = builder.Services.AddHealthChecks();
        if (mode.RedisConnectionString is { } redis)
        {
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConnection.Options(redis)));
            builder.Services.AddSingleton<ICacheStore, RedisCacheStore>();
            health.AddCheck<RedisHealthCheck>("cache", HealthStatus.Degraded, ["ready"]);
        }
        else if (mode.Memcached is { } memcached)
        {
            // The client never blocks start-up: it connects on the first call, and fails fast while memcached is down.
            builder.Services.AddSingleton(_ => new MemcachedClient(memcached));
            builder.Services.AddSingleton<ICacheStore, MemcachedCacheStore>();
            health.AddCheck<MemcachedHealthCheck>("cache", HealthStatus.Degraded, ["ready"]);
        }
        else if (mode.HighAvailability)
        {
            builder.Services.AddSingleton<ICacheStore, NoCacheStore>();
        }
        else
        {
            builder.Services.AddMemoryCache();
            builder.Services.AddSingleton<ICacheStore, MemoryCacheStore>();
        }
        return builder;
    }
}
