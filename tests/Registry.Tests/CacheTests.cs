using System.Net;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf;
using StackExchange.Redis;

namespace ControlPlane.Registry.Tests;

public class CacheTests
{
    [Theory]
    [InlineData(CacheServerKind.Redis)]
    [InlineData(CacheServerKind.Memcached)]
    public async Task AppReadsAreCachedInTheSharedCacheAndAnUpsertDropsTheCachedCopy(CacheServerKind kind)
    {
        await using var cache = await SharedCache.OpenAsync(kind);
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, cache.Settings);
        var name = $"app-{Guid.NewGuid():N}"[..20];
        var key = $"registry:app:{name}";
        await registry.Client.UpsertAppAsync(name, desiredVersion: "1.0");

        Assert.Equal("1.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
        Assert.True(await cache.ContainsAsync(key));

        await registry.Client.UpsertAppAsync(name, desiredVersion: "2.0");
        Assert.False(await cache.ContainsAsync(key));
        Assert.Equal("2.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
    }

    [Theory]
    [InlineData(CacheServerKind.Redis)]
    [InlineData(CacheServerKind.Memcached)]
    public async Task AnInstancePageListedOnOneReplicaIsServedToAnotherFromTheSharedCacheUntilTheRevisionMoves(CacheServerKind kind)
    {
        await using var cache = await SharedCache.OpenAsync(kind);
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = await RegistryHost.StartAsync(Provider.Postgres, cache.Settings, database);
        await using var b = await RegistryHost.StartAsync(Provider.Postgres, cache.Settings, database);
        var app = $"app-{Guid.NewGuid():N}"[..20];
        await a.Client.UpsertAppAsync(app, desiredVersion: "1.0");
        await a.Client.RegisterInstanceAsync(new RegisterInstanceRequest { InstanceId = $"{app}-1", App = app, Address = "http://10.0.0.1:3000", Version = "1.0" });
        var request = new ListInstancesRequest { App = app };

        var listed = await a.Client.ListInstancesAsync(request);
        var key = Domain.RegistryQueries.PageKey(request, listed.Revision);
        Assert.True(await cache.ContainsAsync(key), "the page is in the shared cache for the other replicas");

        // Replica B, which never listed, answers from the shared cache: shown by a page planted under the same key.
        var planted = listed.Clone();
        planted.Instances[0].Address = "http://planted:1";
        await cache.PlantAsync(key, planted.ToByteArray());
        Assert.Equal("http://planted:1", (await b.Client.ListInstancesAsync(request)).Instances[0].Address);

        // A change on A moves the revision, so B reads the database again: the page is never behind a change.
        await a.Client.SetDrainAsync(new SetDrainRequest { InstanceId = $"{app}-1", Draining = true });
        var after = await b.Client.ListInstancesAsync(request);
        Assert.True(after.Revision > listed.Revision);
        Assert.Equal("http://10.0.0.1:3000", after.Instances[0].Address);
        Assert.True(after.Instances[0].Draining);
    }

    [Fact]
    public async Task AnEntryThatMayHaveMissedAnInvalidationIsDroppedWhenTheReplicaReconnects()
    {
        var client = $"cp-test-{Guid.NewGuid():N}";
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"{BackingServices.Redis},name={client}",
        });
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{BackingServices.Redis},allowAdmin=true");
        var name = $"app-{Guid.NewGuid():N}"[..20];
        var key = $"cp:registry:app:{name}";
        await registry.Client.UpsertAppAsync(name, desiredVersion: "1.0");
        await registry.Client.GetAppAsync(new GetAppRequest { Name = name });

        // What a change made while this replica was cut off from Redis leaves behind: an entry older than the database.
        await redis.GetDatabase().StringSetAsync(key, new App { Name = name, DesiredVersion = "0.9-stale" }.ToByteArray());
        Assert.Equal("0.9-stale", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);

        var server = redis.GetServers().Single();
        foreach (var connection in (await server.ClientListAsync()).Where(c => c.Name == client))
        {
            await server.ClientKillAsync(connection.Id, ClientType.Normal, null, skipMe: true);
        }
        await Eventually.TrueAsync(async () => !await redis.GetDatabase().KeyExistsAsync(key), TimeSpan.FromSeconds(20), "the entry dropped on reconnect");
        Assert.Equal("1.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
    }

    [Fact]
    public async Task AnEntryThatMayHaveMissedAnInvalidationIsNotReadOnceTheReplicaReachesMemcachedAgain()
    {
        // A memcached of the test's own, as it is frozen: the port accepts, nothing answers, as in a partition.
        await using var server = await MemcachedProcess.StartAsync();
        await using var cache = SharedCache.OpenMemcached(server.Address);
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, cache.Settings);
        var name = $"app-{Guid.NewGuid():N}"[..20];
        var key = $"registry:app:{name}";
        await registry.Client.UpsertAppAsync(name, desiredVersion: "1.0");
        await registry.Client.GetAppAsync(new GetAppRequest { Name = name });
        Assert.True(await cache.ContainsAsync(key));

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
        await cache.PlantAsync(key, new App { Name = name, DesiredVersion = "1.0-stale" }.ToByteArray());
        Assert.Equal("1.0-stale", App.Parser.ParseFrom(await cache.GetAsync(key) ?? []).DesiredVersion);

        // Once this replica reaches memcached again (its readiness says so), it reads the database, not the stale entry.
        await Eventually.TrueAsync(async () => await registry.Host.Http.GetStringAsync("/readyz") == "Healthy", TimeSpan.FromSeconds(30), "the cache healthy again");
        Assert.Equal("2.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = name })).DesiredVersion);
        Assert.Equal("2.0", App.Parser.ParseFrom(await cache.GetAsync(key) ?? []).DesiredVersion);
    }

    [Theory]
    [InlineData(CacheServerKind.Redis)]
    [InlineData(CacheServerKind.Memcached)]
    public async Task WithTheCacheUnreachableEveryCallStillAnswersAndReadinessIsDegradedNotFailed(CacheServerKind kind)
    {
        await using var registry = await RegistryHost.StartAsync(Provider.Postgres, SharedCache.Unreachable(kind));

        await registry.Client.UpsertAppAsync("grafana", desiredVersion: "1.0");
        Assert.Equal("1.0", (await registry.Client.GetAppAsync(new GetAppRequest { Name = "grafana" })).DesiredVersion);
        await registry.Client.UpsertAppAsync("grafana", desiredVersion: "1.1");
        Assert.Equal("1.1", (await registry.Client.GetAppAsync(new GetAppRequest { Name = "grafana" })).DesiredVersion);

        var ready = await registry.Host.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        var health = await registry.Host.Http.GetStringAsync("/api/health");
        Assert.Contains("\"cache\":\"degraded\"", health);
        Assert.Contains($"\"cacheKind\":\"{kind.ToString().ToLowerInvariant()}\"", health);
    }
}
