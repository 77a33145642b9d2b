using ControlPlane.ServiceDefaults.Cache;
using ControlPlane.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class CacheExtensions
{
    /// <summary>Redis when ConnectionStrings:Redis is set; otherwise memory (single instance) or no cache (HA).</summary>
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
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            builder.Services.AddSingleton<ICacheStore, RedisCacheStore>();
            health.AddCheck<RedisHealthCheck>("cache", HealthStatus.Degraded, ["ready"]);
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
