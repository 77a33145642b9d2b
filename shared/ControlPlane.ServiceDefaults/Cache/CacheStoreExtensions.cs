using ControlPlane.ServiceDefaults.Telemetry;
using Google.Protobuf;

namespace ControlPlane.ServiceDefaults.Cache;

public static class CacheStoreExtensions
{
    /// <summary>The cached message, or the loaded one (then cached). A null load is not cached.</summary>
    public static async Task<T?> GetOrLoadAsync<T>(this ICacheStore cache, string key, MessageParser<T> parser, TimeSpan ttl,
        Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken) where T : class, IMessage<T>
    {
        var cached = await cache.GetAsync(key, cancellationToken);
        if (cached is not null)
        {
            ServiceDefaultsTelemetry.CacheHits.Add(1);
            return parser.ParseFrom(cached);
        }
        ServiceDefaultsTelemetry.CacheMisses.Add(1);
        var loaded = await load(cancellationToken);
        if (loaded is not null)
        {
            await cache.SetAsync(key, loaded.ToByteArray(), ttl, cancellationToken);
        }
        return loaded;
    }
}
