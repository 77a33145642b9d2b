using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.HealthProbe.Tests;

/// <summary>HealthProbe trims its event log to HealthProbe:EventRetention; a watch from a trimmed revision is refused.</summary>
public class EventRetentionTests
{
    [Fact]
    public async Task AWatchFromATrimmedRevisionIsRefusedWhileOneFromTheHeadFollowsNewChanges()
    {
        await using var fleet = await ProbedFleet.StartAsync(settings: new Dictionary<string, string?> { ["HealthProbe:EventRetention"] = "00:00:01" });
        await fleet.UpsertAppAsync("grafana", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), rise: 1, fall: 1);
        var victim = await fleet.AddInstanceAsync("grafana", "g-1");
        await fleet.AddInstanceAsync("grafana", "g-2");
        await fleet.WaitForStateAsync("g-1", HealthState.Healthy);
        await fleet.WaitForStateAsync("g-2", HealthState.Healthy);
        var head = (await fleet.Health.ListHealthAsync(new ListHealthRequest { App = "grafana" })).Revision;
        Assert.True(head >= 2, $"head {head}");

        var refused = await RpcAssert.WatchRefusedWithinAsync(
            ct => fleet.Health.WatchHealth(new WatchHealthRequest { App = "grafana", FromRevision = 1 }, cancellationToken: ct),
            StatusCode.OutOfRange, TimeSpan.FromSeconds(15));
        Assert.Contains("older than the retained log", refused.Status.Detail);

        // Trimmed to nothing, the log is still followed from its head.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = fleet.Health.WatchHealth(new WatchHealthRequest { App = "grafana", FromRevision = head }, cancellationToken: timeout.Token);
        await victim.KillAsync();
        // Until g-1 is seen down; g-2 may change too on a loaded machine (fall 1): every revision from head+1, in order.
        var expected = head + 1;
        while (await watch.ResponseStream.MoveNext(timeout.Token))
        {
            var change = watch.ResponseStream.Current;
            Assert.Equal(expected++, change.Revision);
            if (change.Health is { InstanceId: "g-1", State: HealthState.Unhealthy })
            {
                return;
            }
        }
        Assert.Fail("the watch ended before g-1 was seen down");
    }
}
