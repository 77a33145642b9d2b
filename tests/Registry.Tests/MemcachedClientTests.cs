using System.Diagnostics;
using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Registry.Tests;

/// <summary>The memcached client and cache store against the real server (the shared one, or one of the test's own to stop).</summary>
public class MemcachedClientTests
{
    private static readonly MemcachedClientOptions Fast = new() { Timeout = TimeSpan.FromMilliseconds(500), MinBackoff = TimeSpan.FromMilliseconds(100) };

    private static MemcachedClient Shared() => new(MemcachedEndpoint.Parse(BackingServices.Memcached));

    private static string Key() => $"test:{Guid.NewGuid():N}";

    [Fact]
    public async Task AValueIsSetReadAndDeleted()
    {
        await using var client = Shared();
        var key = Key();
        Assert.Null(await client.GetAsync(key, CancellationToken.None));

        await client.SetAsync(key, "one"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("one"u8.ToArray(), await client.GetAsync(key, CancellationToken.None));
        await client.SetAsync(key, "two"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("two"u8.ToArray(), await client.GetAsync(key, CancellationToken.None));

        Assert.True(await client.DeleteAsync(key, CancellationToken.None));
        Assert.Null(await client.GetAsync(key, CancellationToken.None));
        Assert.False(await client.DeleteAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task BinaryValuesComeBackByteForByteIncludingLineEndsAndLargeOnes()
    {
        await using var client = Shared();
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var large = new byte[300_000];
        Random.Shared.NextBytes(large);
        var empty = Array.Empty<byte>();
        var keys = new[] { Key(), Key(), Key() };
        await client.SetAsync(keys[0], everyByte, TimeSpan.FromMinutes(1), CancellationToken.None);
        await client.SetAsync(keys[1], large, TimeSpan.FromMinutes(1), CancellationToken.None);
        await client.SetAsync(keys[2], empty, TimeSpan.FromMinutes(1), CancellationToken.None);

        var found = await client.GetAsync(keys, CancellationToken.None);
        Assert.Equal(everyByte, found[keys[0]]);
        Assert.Equal(large, found[keys[1]]);
        Assert.Equal(empty, found[keys[2]]);
    }

    [Fact]
    public async Task LongKeysAndKeysWithSpacesAreStoredApart()
    {
        await using var client = Shared();
        var prefix = Key() + new string('x', 260);
        var keys = new[] { prefix + "a", prefix + "b", Key() + " with space", Key() + "\nnewline" };
        for (var i = 0; i < keys.Length; i++)
        {
            await client.SetAsync(keys[i], new[] { (byte)i }, TimeSpan.FromMinutes(1), CancellationToken.None);
        }
        var found = await client.GetAsync(keys, CancellationToken.None);
        Assert.Equal(keys.Length, found.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal([(byte)i], found[keys[i]]);
        }
    }

    [Fact]
    public async Task AValueExpiresAfterItsTtl()
    {
        await using var client = Shared();
        var key = Key();
        // Memcached counts whole seconds: 2 s is at least one full second from now.
        await client.SetAsync(key, "soon gone"u8.ToArray(), TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.NotNull(await client.GetAsync(key, CancellationToken.None));
        var set = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => await client.GetAsync(key, CancellationToken.None) is null, TimeSpan.FromSeconds(10), "the value expired");
        Assert.True(set.Elapsed > TimeSpan.FromSeconds(0.5), $"expired after {set.Elapsed}");
    }

    [Fact]
    public async Task AddOnlyStoresAMissingKeyAndIncrementCounts()
    {
        await using var client = Shared();
        var key = Key();
        Assert.Null(await client.IncrementAsync(key, 1, CancellationToken.None));
        Assert.True(await client.AddAsync(key, "41"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await client.AddAsync(key, "0"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(42UL, await client.IncrementAsync(key, 1, CancellationToken.None));
    }

    [Fact]
    public async Task AValueOverTheServersItemLimitIsRefusedAndTheClientGoesOn()
    {
        await using var client = Shared();
        var key = Key();
        await Assert.ThrowsAsync<MemcachedCommandException>(() =>
            client.SetAsync(key, new byte[2 * 1024 * 1024], TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(client.Reachable);
        await client.SetAsync(key, "fits"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("fits"u8.ToArray(), await client.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task WithNoServerTheStoreMissesAndSkipsWritesWithoutThrowing()
    {
        await using var client = new MemcachedClient(new MemcachedEndpoint("127.0.0.1", FreePorts.Next()), Fast);
        var store = new MemcachedCacheStore(client, NullLogger<MemcachedCacheStore>.Instance);

        await store.SetAsync("k", [1], TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Null(await store.GetAsync("k", CancellationToken.None));
        await store.RemoveAsync("k", CancellationToken.None);
        await Assert.ThrowsAsync<MemcachedUnavailableException>(() => client.GetAsync("k", CancellationToken.None));
        Assert.False(client.Reachable);
    }

    [Fact]
    public async Task AHungServerCostsOneTimeoutThenCallsFailAtOnceUntilItAnswersAgain()
    {
        await using var server = await MemcachedProcess.StartAsync();
        await using var client = new MemcachedClient(MemcachedEndpoint.Parse(server.Address), Fast);
        var key = Key();
        await client.SetAsync(key, new byte[] { 7 }, TimeSpan.FromMinutes(1), CancellationToken.None);

        await server.FreezeAsync();
        try
        {
            var first = Stopwatch.StartNew();
            await Assert.ThrowsAsync<MemcachedUnavailableException>(() => client.GetAsync(key, CancellationToken.None));
            Assert.InRange(first.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));

            var next = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
            {
                await Assert.ThrowsAsync<MemcachedUnavailableException>(() => client.GetAsync(key, CancellationToken.None));
            }
            // Twenty calls in well under one timeout: the circuit refused them (probes after a back-off may each
            // wait a timeout, but the back-off doubles, so only a few can happen in this window).
            Assert.True(next.Elapsed < TimeSpan.FromSeconds(3), $"20 calls took {next.Elapsed}");
        }
        finally
        {
            await server.ThawAsync();
        }

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await client.GetAsync(key, CancellationToken.None))?.SequenceEqual(new byte[] { 7 }) == true;
            }
            catch (MemcachedUnavailableException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the client reading from the server again");
        Assert.True(client.Reachable);
    }

    [Fact]
    public async Task AfterTheServerRestartsTheClientReconnectsByItself()
    {
        await using var server = await MemcachedProcess.StartAsync();
        await using var client = new MemcachedClient(MemcachedEndpoint.Parse(server.Address), Fast);
        await client.SetAsync("k", new byte[] { 1 }, TimeSpan.FromMinutes(1), CancellationToken.None);

        await server.StopAsync();
        await Assert.ThrowsAsync<MemcachedUnavailableException>(() => client.GetAsync("k", CancellationToken.None));
        await server.StartAgainAsync();

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await client.SetAsync("k", new byte[] { 2 }, TimeSpan.FromMinutes(1), CancellationToken.None);
                return true;
            }
            catch (MemcachedUnavailableException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the client writing to the restarted server");
        Assert.Equal([2], await client.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task ACallCancelledByItsCallerEndsAtOnceWithoutMarkingTheServerDown()
    {
        await using var server = await MemcachedProcess.StartAsync();
        await using var client = new MemcachedClient(MemcachedEndpoint.Parse(server.Address), new MemcachedClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        await client.VersionAsync(CancellationToken.None);

        await server.FreezeAsync();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var started = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("k", cancel.Token));
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {started.Elapsed}");
            Assert.True(client.Reachable, "a caller's cancellation says nothing about the server");
        }
        finally
        {
            await server.ThawAsync();
        }
        // The connection broken off mid-call was dropped, not handed to the next call out of step.
        await client.SetAsync("k", "after"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("after"u8.ToArray(), await client.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task ARemoveThatMissedTheServerMakesEveryEntryWrittenBeforeUnreadableOnceItIsBack()
    {
        await using var server = await MemcachedProcess.StartAsync();
        await using var replicaClient = new MemcachedClient(MemcachedEndpoint.Parse(server.Address), Fast);
        await using var otherClient = new MemcachedClient(MemcachedEndpoint.Parse(server.Address), Fast);
        var replica = new MemcachedCacheStore(replicaClient, NullLogger<MemcachedCacheStore>.Instance);
        var other = new MemcachedCacheStore(otherClient, NullLogger<MemcachedCacheStore>.Instance);
        await replica.SetAsync("app", "v1"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("v1"u8.ToArray(), await other.GetAsync("app", CancellationToken.None));

        await server.FreezeAsync();
        try
        {
            await replica.RemoveAsync("app", CancellationToken.None); // times out: the entry may well survive
        }
        finally
        {
            await server.ThawAsync();
        }
        // What a surviving entry looks like to the other replica: still readable (it has not seen the miss).
        await other.SetAsync("app", "v1-stale"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("v1-stale"u8.ToArray(), await other.GetAsync("app", CancellationToken.None));

        await Eventually.TrueAsync(async () =>
        {
            await replica.GetAsync("app", CancellationToken.None);
            return replicaClient.Reachable;
        }, TimeSpan.FromSeconds(20), "the replica reaching memcached again");
        Assert.Null(await replica.GetAsync("app", CancellationToken.None));
        Assert.Null(await other.GetAsync("app", CancellationToken.None));

        // Entries written after the catch-up are read as usual, by every replica.
        await replica.SetAsync("app", "v2"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("v2"u8.ToArray(), await other.GetAsync("app", CancellationToken.None));
    }
}
