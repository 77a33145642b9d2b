using ControlPlane.Api.V1;
using ControlPlane.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

[Collection(OutageCollection.Name)]
[Trait("Category", Outage.Category)]
public class CacheOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WithRedisStoppedEveryServiceAnswersFromTheDatabaseAndUsesTheCacheAgainWhenItIsBack()
    {
        await using var suite = await HaSuite.StartAsync(SuiteShape.Uniform(replicas: 1, agents: 0));
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{BackingServices.Redis},abortConnect=false");
        var cacheKey = $"cp:registry:app:{suite.App}";
        await suite.Registry.GetAppAsync(new GetAppRequest { Name = suite.App });
        Assert.True(await redis.GetDatabase().KeyExistsAsync(cacheKey), "the Registry caches app reads in Redis");

        try
        {
            await CacheServer.StopAsync();
            await Eventually.TrueAsync(() => suite.AllReadyAsync("Degraded"), Wait, "every replica ready but degraded", suite.Logs);

            var took = await suite.CallEveryServiceAsync("3.0");
            output.WriteLine($"five reads and a write with Redis down: {took.TotalMilliseconds:F0} ms");
            foreach (var replica in HaSuite.Services.SelectMany(suite.Replicas))
            {
                Assert.Contains("\"cache\":\"degraded\"", await replica.Http.GetStringAsync("/api/health"));
            }
        }
        finally
        {
            await CacheServer.StartAsync();
        }

        await Eventually.TrueAsync(() => suite.AllReadyAsync("Healthy"), Wait, "every replica healthy again", suite.Logs);
        await Eventually.TrueAsync(async () =>
        {
            await suite.Registry.GetAppAsync(new GetAppRequest { Name = suite.App });
            return await redis.GetDatabase().KeyExistsAsync(cacheKey);
        }, Wait, "the app cached in Redis again");
        Assert.Equal("3.0", App.Parser.ParseFrom((byte[])(await redis.GetDatabase().StringGetAsync(cacheKey))!).DesiredVersion);
    }
}
