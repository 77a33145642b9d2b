using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.Registry.Tests;

public class WatchAndLeaseTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task AWatchResumedFromItsLastRevisionGetsEveryEventExactlyOnceInOrder(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider);
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");
        await client.UpsertAppAsync("loki");
        for (var i = 1; i <= 5; i++)
        {
            await client.RegisterInstanceAsync(Fleet.Instance($"g-{i}", "grafana"));
            await client.RegisterInstanceAsync(Fleet.Instance($"l-{i}", "loki"));
        }

        // First connection: three events, then the client goes away.
        var firstPart = await RegistryWatch.TakeAsync(client, 0, "grafana", 3);

        // Changes made while disconnected, some concurrently.
        await Task.WhenAll(Enumerable.Range(6, 10).Select(i => client.RegisterInstanceAsync(Fleet.Instance($"g-{i}", "grafana")).ResponseAsync));
        await client.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = true });

        // Reconnect from the last revision seen; also receive a live change made after reconnecting.
        var resumed = RegistryWatch.ReadAsync(client, firstPart[^1].Revision, "grafana",
            until: e => e.Type == InstanceEventType.Deregistered);
        await Task.Delay(300);
        await client.DeregisterInstanceAsync(new DeregisterInstanceRequest { InstanceId = "g-2" });
        var secondPart = await resumed;

        var all = firstPart.Concat(secondPart).ToList();
        Assert.All(all, e => Assert.Equal("grafana", e.Instance.App));
        Assert.Equal(all.Select(e => e.Revision).Order(), all.Select(e => e.Revision));
        Assert.Equal(all.Count, all.Select(e => e.Revision).Distinct().Count());
        var registered = all.Where(e => e.Type == InstanceEventType.Registered).Select(e => e.Instance.InstanceId).ToList();
        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"g-{i}").Order(), registered.Order());
        Assert.Equal(InstanceEventType.DrainChanged, all[^2].Type);
        Assert.Equal("g-2", all[^1].Instance.InstanceId);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task AnExpiredLeaseMarksTheInstanceExpiredAndLaterRemovesIt(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Registry:RemoveExpiredAfter"] = "00:00:01.500",
        });
        var client = registry.Client;
        await client.UpsertAppAsync("grafana");
        var start = (await client.ListInstancesAsync(new ListInstancesRequest())).Revision;
        var silent = await client.RegisterInstanceAsync(Fleet.Instance("silent", "grafana", ttl: TimeSpan.FromSeconds(1)));
        var alive = await client.RegisterInstanceAsync(Fleet.Instance("alive", "grafana", ttl: TimeSpan.FromSeconds(1)));
        using var heartbeats = new CancellationTokenSource();
        var beating = Task.Run(async () =>
        {
            while (!heartbeats.IsCancellationRequested)
            {
                await client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "alive", LeaseId = alive.LeaseId });
                await Task.Delay(250);
            }
        });

        var events = await RegistryWatch.ReadAsync(client, start, "grafana",
            until: e => e.Type == InstanceEventType.Deregistered, timeout: TimeSpan.FromSeconds(15));
        heartbeats.Cancel();
        await beating;

        var expired = Assert.Single(events, e => e.Type == InstanceEventType.Expired);
        Assert.Equal("silent", expired.Instance.InstanceId);
        Assert.Equal(InstanceState.Expired, expired.Instance.State);
        // Expiry comes within TTL plus the flush grace and a reaper round, measured from the registration.
        var late = expired.OccurredAt.ToDateTime() - silent.Instance.LeaseExpiresAt.ToDateTime();
        Assert.InRange(late, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
        var removed = events[^1];
        Assert.Equal("silent", removed.Instance.InstanceId);
        Assert.InRange(removed.OccurredAt.ToDateTime() - expired.OccurredAt.ToDateTime(), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(events, e => e.Instance.InstanceId == "alive" && e.Type != InstanceEventType.Registered);

        var beatOnExpired = await Assert.ThrowsAsync<RpcException>(() =>
            client.HeartbeatAsync(new HeartbeatRequest { InstanceId = "silent", LeaseId = silent.LeaseId }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, beatOnExpired.StatusCode);
        Assert.Equal(InstanceState.Active, (await client.GetInstanceAsync(new GetInstanceRequest { InstanceId = "alive" })).State);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    [InlineData(Provider.MariaDb)]
    public async Task AWatchFromARevisionOlderThanTheRetainedLogIsRefusedAndRequestsAsOldAreForgotten(Provider provider)
    {
        await using var registry = await RegistryHost.StartAsync(provider, new Dictionary<string, string?>
        {
            // Short, for the log to empty within the test; long enough that the replay right after the first upsert
            // still finds its request on a loaded machine.
            ["Registry:EventRetention"] = "00:00:02",
        });
        var client = registry.Client;
        Task<App> UpsertAsync(string version) =>
            client.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "grafana", DesiredVersion = version }, RequestId = "up-1" }).ResponseAsync;
        await UpsertAsync("1.0");
        Assert.Equal("1.0", (await UpsertAsync("2.0")).DesiredVersion);
        await client.RegisterInstanceAsync(Fleet.Instance("g-1", "grafana"));
        await client.RegisterInstanceAsync(Fleet.Instance("g-2", "grafana"));

        // Trimmed to nothing, the log's oldest revision is the next to come: watching from before it is refused too.
        var emptied = await RpcAssert.WatchRefusedWithinAsync(
            ct => client.WatchInstances(new WatchInstancesRequest { App = "grafana", FromRevision = 1 }, cancellationToken: ct),
            StatusCode.FailedPrecondition, TimeSpan.FromSeconds(10));
        Assert.Contains("list instances again", emptied.Status.Detail);
        await client.RegisterInstanceAsync(Fleet.Instance("g-3", "grafana"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => RegistryWatch.TakeAsync(client, 1, "grafana", 1));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("list instances again", ex.Status.Detail);

        // The request is remembered as long as events are kept: then the same id is a new request.
        await Eventually.TrueAsync(async () => (await UpsertAsync("2.0")).DesiredVersion == "2.0", TimeSpan.FromSeconds(10),
            "request up-1 forgotten");
    }
}
