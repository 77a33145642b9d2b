using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.ServiceDefaults.Cache.Memcached;

/// <summary>
/// Memcached, shared by every replica. Errors are logged (at most every 30 s) and read as misses; writes are skipped.
/// </summary>
/// <remarks>
/// A remove that did not reach memcached (an outage, a partition) may leave an entry older than the database. Redis
/// drops every entry on reconnect; memcached cannot list keys, so entries carry a generation instead: each value
/// starts with the generation it was written in, every read fetches the current generation with the entry in the same
/// round trip, and after a missed remove this replica moves the generation on (<c>incr</c>) before anything else, so
/// no replica reads an entry written before. A flush_all would do the same but also wipe other users of the server.
/// </remarks>
public sealed class MemcachedCacheStore : ICacheStore
{
    /// <summary>Entries are stored under this prefix plus the caller's key.</summary>
    public const string Prefix = "cp:";

    /// <summary>Outside <see cref="Prefix"/>, so no entry's key can be it.</summary>
    public const string GenerationKey = "cp.generation";

    // Longer than any entry's TTL. Read with every get, so memcached's LRU keeps it; if it is evicted all the same (or the
    // server restarted), it comes back with a random value, which no entry written before can carry.
    private static readonly TimeSpan GenerationTtl = TimeSpan.FromDays(30);
    private readonly MemcachedClient client;
    private readonly ILogger<MemcachedCacheStore> logger;
    private readonly ThrottledWarning warning;
    private long _generation; // 0: not known yet (a real generation is never 0)
    private long _missedRemoves;

    public MemcachedCacheStore(MemcachedClient client, ILogger<MemcachedCacheStore> logger)
    {
        this.client = client;
        this.logger = logger;
        warning = new ThrottledWarning(logger);
    }

    public bool Shared => true;

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await CatchUpAsync(cancellationToken);
            var found = await client.GetAsync([GenerationKey, Prefix + key], cancellationToken);
            if (!found.TryGetValue(GenerationKey, out var generationText) || ParseGeneration(generationText) is not { } generation)
            {
                await StartGenerationAsync(cancellationToken);
                return null;
            }
            Volatile.Write(ref _generation, (long)generation);
            return found.TryGetValue(Prefix + key, out var entry) && entry.Length >= 8 && BinaryPrimitives.ReadUInt64BigEndian(entry) == generation
                ? entry[8..]
                : null;
        }
        catch (Exception ex) when (ex is MemcachedUnavailableException or MemcachedCommandException)
        {
            warning.Warn(ex);
            return null;
        }
    }

    public async Task SetAsync(string key, byte[] value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            await CatchUpAsync(cancellationToken);
            var generation = (ulong)Volatile.Read(ref _generation);
            if (generation == 0)
            {
                generation = ParseGeneration(await client.GetAsync(GenerationKey, cancellationToken) ?? []) ?? await StartGenerationAsync(cancellationToken);
            }
            // A generation moved on since it was read only makes this entry unreadable: a wasted write, never a stale read.
            var entry = new byte[8 + value.Length];
            BinaryPrimitives.WriteUInt64BigEndian(entry, generation);
            value.CopyTo(entry, 8);
            await client.SetAsync(Prefix + key, entry, ttl, cancellationToken);
        }
        catch (Exception ex) when (ex is MemcachedUnavailableException or MemcachedCommandException)
        {
            warning.Warn(ex);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await CatchUpAsync(cancellationToken);
            await client.DeleteAsync(Prefix + key, cancellationToken);
        }
        catch (Exception ex) when (ex is MemcachedUnavailableException or MemcachedCommandException or OperationCanceledException)
        {
            Interlocked.Increment(ref _missedRemoves);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            warning.Warn(ex);
        }
    }

    /// <summary>After a missed remove, moves the generation on before anything else is read or written.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var missed = Interlocked.Read(ref _missedRemoves);
        if (missed == 0)
        {
            return;
        }
        var generation = await client.IncrementAsync(GenerationKey, 1, cancellationToken) ?? await StartGenerationAsync(cancellationToken);
        Volatile.Write(ref _generation, (long)generation);
        // Only the misses counted before the increment are made good by it; one counted meanwhile waits for the next.
        Interlocked.CompareExchange(ref _missedRemoves, 0, missed);
        ServiceLog.CacheGenerationMoved(logger, generation);
    }

    /// <summary>Creates the generation key when it is missing, and returns the generation now current.</summary>
    private async Task<ulong> StartGenerationAsync(CancellationToken cancellationToken)
    {
        // Far below ulong.MaxValue, so incr never wraps round to a value an old entry could carry.
        var fresh = (BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8)) >> 2) + 1;
        if (await client.AddAsync(GenerationKey, Encoding.ASCII.GetBytes(fresh.ToString(CultureInfo.InvariantCulture)), GenerationTtl, cancellationToken))
        {
            Volatile.Write(ref _generation, (long)fresh);
            return fresh;
        }
        // Another replica added it first: use theirs.
        var current = ParseGeneration(await client.GetAsync(GenerationKey, cancellationToken) ?? [])
            ?? throw new MemcachedCommandException("the cache generation key vanished right after it was added");
        Volatile.Write(ref _generation, (long)current);
        return current;
    }

    // incr may leave trailing spaces when the number gets shorter; a value that is no positive number is treated as missing.
    private static ulong? ParseGeneration(byte[] text) =>
        ulong.TryParse(Encoding.ASCII.GetString(text).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
