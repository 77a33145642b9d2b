using ControlPlane.Api.V1;
using ControlPlane.ServiceDefaults.Cache.Memcached;
using ControlPlane.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>
/// <see cref="CacheOutageTests"/> with memcached as the cache. The suite gets a memcached of its own, killed and started
/// again by its pid, so no other test sees the outage (hence no Outage trait).
/// </summary>
public class MemcachedOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WithMemcachedStoppedEveryServiceAnswersFromTheDatabaseAndUsesTheCacheAgainWhenItIsBack()
    {
        await using var memcached = await MemcachedProcess.StartAsync();
        await using var suite = await HaSuite.StartAsync(SuiteShape.Uniform(replicas: 1, agents: 0) with { Memcached = memcached.Address });
        await using var client = new MemcachedClient(MemcachedEndpoint.Parse(memcached.Address));
        var cache = new MemcachedCacheStore(client, NullLogger<MemcachedCacheStore>.Instance);
        var cacheKey = $"registry:app:{suite.App}";
        await suite.Registry.GetAppAsync(new GetAppRequest { Name = suite.App });
        Assert.NotNull(await cache.GetAsync(cacheKey, CancellationToken.None));
        await Eventually.TrueAsync(() => suite.AllReadyAsync("Healthy"), Wait, "every replica healthy with memcached", suite.Logs);

        await memcached.StopAsync();
        await Eventually.TrueAsync(() => suite.AllReadyAsync("Degraded"), Wait, "every replica ready but degraded", suite.Logs);

        var took = await suite.CallEveryServiceAsync("3.0");
        output.WriteLine($"five reads and a write with memcached down: {took.TotalMilliseconds:F0} ms");
        foreach (var replica in HaSuite.Services.SelectMany(suite.Replicas))
        {
            var health = await replica.Http.GetStringAsync("/api/health");
            Assert.Contains("\"cache\":\"degraded\"", health);
            Assert.Contains("\"cacheKind\":\"memcached\"", health);
        }

        await memcached.StartAgainAsync();
        await Eventually.TrueAsync(() => suite.AllReadyAsync("Healthy"), Wait, "every replica healthy again", suite.Logs);
        await Eventually.TrueAsync(async () =>
        {
            await suite.Registry.GetAppAsync(new GetAppRequest { Name = suite.App });
            return await cache.GetAsync(cacheKey, CancellationToken.None) is not null;
        }, Wait, "the app cached in memcached again");
        Assert.Equal("3.0", App.Parser.ParseFrom(await cache.GetAsync(cacheKey, CancellationToken.None) ?? []).DesiredVersion);
    }
}
