using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>Redis, shared by every replica. Errors are logged (at most every 30 s) and read as misses.</summary>
public sealed class RedisCacheStore(IConnectionMultiplexer redis, ILogger<RedisCacheStore> logger) : ICacheStore
{
    private const string Prefix = "cp:";
    private long _lastWarningTicks;

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Prefix + key);
            return value.HasValue ? (byte[]?)value : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Warn(ex);
            return null;
        }
    }

    public async Task SetAsync(string key, byte[] value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Prefix + key, value, ttl);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Warn(ex);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Prefix + key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Warn(ex);
        }
    }

    private void Warn(Exception ex)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarningTicks);
        if (now - last > 30_000 && Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            ServiceLog.CacheUnavailable(logger, ex.Message);
        }
    }
}
