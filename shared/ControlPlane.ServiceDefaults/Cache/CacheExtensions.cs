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
            var options = ConfigurationOptions.Parse(redis);
            // Never block start-up or a call on Redis: connect in the background, fail fast when it is down.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 1000;
            options.AsyncTimeout = 1000;
            // While Redis is down, fail a command at once rather than queue it until the timeout: otherwise every
            // read and write waits a second for the cache before going to the database (seen: 6 calls took 12 s).
            options.BacklogPolicy = BacklogPolicy.FailFast;
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
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
