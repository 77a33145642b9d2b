using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ControlPlane.ServiceDefaults.Cache;

/// <summary>Redis, shared by every replica. Errors are logged (at most every 30 s) and read as misses.</summary>
public sealed class RedisCacheStore : ICacheStore
{
    private const string Prefix = "cp:";
    private readonly IConnectionMultiplexer redis;
    private readonly ILogger<RedisCacheStore> logger;
    private readonly ThrottledWarning warning;

    public RedisCacheStore(IConnectionMultiplexer redis, ILogger<RedisCacheStore> logger)
    {
        this.redis = redis;
        this.logger = logger;
        warning = new ThrottledWarning(logger);
        // A write made while this replica could not reach Redis could not drop the entry it changed, and Redis may
        // have kept it (a partition rather than a restart): drop every entry when the connection comes back, so no
        // replica reads a value older than the database for the rest of its TTL.
        redis.ConnectionRestored += (_, args) =>
        {
            if (args.ConnectionType == ConnectionType.Interactive)
            {
                _ = DropAllAsync();
            }
        };
    }

    public bool Shared => true;

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

    private async Task DropAllAsync()
    {
        try
        {
            long dropped = 0;
            foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                // One DEL per page of the scan, not one round trip per key.
                await foreach (var page in server.KeysAsync(pattern: Prefix + "*", pageSize: 1000).Chunk(1000))
                {
                    dropped += await redis.GetDatabase().KeyDeleteAsync(page);
                }
            }
            ServiceLog.CacheDropped(logger, dropped);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Warn(ex);
        }
    }

    private void Warn(Exception ex) => warning.Warn(ex);
}
