using System.Net;
using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.Testing;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Registry.Tests;

/// <summary>
/// <see cref="CacheTests"/> with memcached as the shared cache. The test looks into the cache through a store of its
/// own on the same server (as another replica would), since entries carry the cache generation before the message.
/// </summary>
public class MemcachedCacheTests
{
    private static Dictionary<string, string?> Settings(string address) => new() { ["ConnectionStrings:Memcached"] = address };

    private static (MemcachedClient Client, MemcachedCacheStore Store) Peek(string address)
    {
        var client = new MemcachedClient(MemcachedEndpoint.Parse(address));
        return (client, new MemcachedCacheStore(client, NullLogger<MemcachedCacheStore>.Instance));
    }

    private static async Task<App?> CachedAppAsync(MemcachedCacheStore cache, string key) =>
        await cache.GetAsync(key, CancellationToken.None) is { } bytes ? App.Parser.ParseFrom(bytes) : null;

    [Fact]
    public async Task AppReadsAreCachedInMemcachedAndAnUpsertDropsTheCachedCopy()
    {
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, Settings(BackingServices.Memcached));
        var (client, cache) = Peek(BackingServices.Memcached);
        await using var _ = client;
        var name = $"app-{Guid.NewGuid():N}"[..20];
        var key = $"registry:app:{name}";
        await registry.Client.UpsertAppAsync(name, desiredVersion: "1.0");

        Assert.Equal("1.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
        Assert.Equal("1.0", (await CachedAppAsync(cache, key))?.DesiredVersion);
        // Under the documented prefix, as an operator looking with a memcached client would find it.
        Assert.NotNull(await client.GetAsync(MemcachedCacheStore.Prefix + key, CancellationToken.None));

        await registry.Client.UpsertAppAsync(name, desiredVersion: "2.0");
        Assert.Null(await client.GetAsync(MemcachedCacheStore.Prefix + key, CancellationToken.None));
        Assert.Equal("2.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
    }

    [Fact]
    public async Task AnInstancePageListedOnOneReplicaIsServedToAnotherFromMemcachedUntilTheRevisionMoves()
    {
        var settings = Settings(BackingServices.Memcached);
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = await RegistryHost.StartAsync(Provider.Postgres, settings, database);
        await using var b = await RegistryHost.StartAsync(Provider.Postgres, settings, database);
        var (client, cache) = Peek(BackingServices.Memcached);
        await using var _ = client;
        var app = $"app-{Guid.NewGuid():N}"[..20];
        await a.Client.UpsertAppAsync(app, desiredVersion: "1.0");
        await a.Client.RegisterInstanceAsync(new RegisterInstanceRequest { InstanceId = $"{app}-1", App = app, Address = "http://10.0.0.1:3000", Version = "1.0" });
        var request = new ListInstancesRequest { App = app };

        var listed = await a.Client.ListInstancesAsync(request);
        var key = Domain.RegistryQueries.PageKey(request, listed.Revision);
        Assert.NotNull(await cache.GetAsync(key, CancellationToken.None));

        // Replica B, which never listed, answers from memcached: shown by a page planted under the same key.
        var planted = listed.Clone();
        planted.Instances[0].Address = "http://planted:1";
        await cache.SetAsync(key, planted.ToByteArray(), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("http://planted:1", (await b.Client.ListInstancesAsync(request)).Instances[0].Address);

        // A change on A moves the revision, so B reads the database again: the page is never behind a change.
        await a.Client.SetDrainAsync(new SetDrainRequest { InstanceId = $"{app}-1", Draining = true });
        var after = await b.Client.ListInstancesAsync(request);
        Assert.True(after.Revision > listed.Revision);
        Assert.Equal("http://10.0.0.1:3000", after.Instances[0].Address);
        Assert.True(after.Instances[0].Draining);
    }

    [Fact]
    public async Task AnEntryThatMayHaveMissedAnInvalidationIsNotReadOnceTheReplicaReachesMemcachedAgain()
    {
        // A server of the test's own, as it is frozen: the port accepts, nothing answers, as in a partition.
        await using var server = await MemcachedProcess.StartAsync();
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, Settings(server.Address));
        var (client, cache) = Peek(server.Address);
        await using var _ = client;
        var name = $"app-{Guid.NewGuid():N}"[..20];
        var key = $"registry:app:{name}";
        await registry.Client.UpsertAppAsync(name, desiredVersion: "1.0");
        await registry.Client.GetAppAsync(new GetAppRequest { Name = name });
        Assert.NotNull(await cache.GetAsync(key, CancellationToken.None));

        await server.FreezeAsync();
        try
        {
            // Committed to the database; dropping the cached copy times out.
            await registry.Client.UpsertAppAsync(name, desiredVersion: "2.0");
        }
        finally
        {
            await server.ThawAsync();
        }
        // What the missed remove may leave behind: an entry older than the database, readable by replicas that saw no outage.
        await cache.SetAsync(key, new App { Name = name, DesiredVersion = "1.0-stale" }.ToByteArray(), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("1.0-stale", (await CachedAppAsync(cache, key))?.DesiredVersion);

        // Once this replica reaches memcached again (its readiness says so), it reads the database, not the stale entry.
        await Eventually.TrueAsync(async () => await registry.Host.Http.GetStringAsync("/readyz") == "Healthy", TimeSpan.FromSeconds(30), "the cache healthy again");
        Assert.Equal("2.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
        Assert.Equal("2.0", (await CachedAppAsync(cache, key))?.DesiredVersion);
    }

    [Fact]
    public async Task WithMemcachedUnreachableEveryCallStillAnswersAndReadinessIsDegradedNotFailed()
    {
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, Settings($"127.0.0.1:{FreePorts.Next()}"));

        await registry.Client.UpsertAppAsync("grafana", desiredVersion: "1.0");
        Assert.Equal("1.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = "grafana" })).DesiredVersion);
        await registry.Client.UpsertAppAsync("grafana", desiredVersion: "1.1");
        Assert.Equal("1.1", (await registry.Client.GetAppAsync(new GetAppRequest { Name = "grafana" })).DesiredVersion);

        var ready = await registry.Host.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        var health = await registry.Host.Http.GetStringAsync("/api/health");
        Assert.Contains("\"cache\":\"degraded\"", health);
        Assert.Contains("\"cacheKind\":\"memcached\"", health);
    }
}
