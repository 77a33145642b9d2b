using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.Rollouts.Tests;

/// <summary>Rollouts trims its event log to Rollouts:EventRetention; a watch from a trimmed revision is refused.</summary>
public sealed class EventRetentionTests
{
    [Fact]
    public async Task AWatchFromATrimmedRevisionIsRefusedWhileOneFromTheHeadFollowsNewRollouts()
    {
        // A backup gate that cannot pass ends each rollout quickly, without touching an instance.
        var closedPort = FreePorts.Next();
        await using var fleet = await RolloutFleet.StartAsync(new Dictionary<string, string?>
        {
            ["Rollouts:BackupsUrl"] = $"http://127.0.0.1:{closedPort}",
            ["Rollouts:EventRetention"] = "00:00:01",
        });
        await fleet.AddInstancesAsync(1);
        var first = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", backupBefore: true));
        await fleet.WaitForStateAsync(first.Id, RolloutState.Failed);
        var head = (await fleet.Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = RolloutFleet.App })).Revision;
        Assert.True(head >= 2, $"head {head}");

        var refused = await RpcAssert.WatchRefusedWithinAsync(
            ct => fleet.Rollouts.WatchRollout(new WatchRolloutRequest { App = RolloutFleet.App, FromRevision = 1 }, cancellationToken: ct),
            StatusCode.OutOfRange, TimeSpan.FromSeconds(15));
        Assert.Contains("older than the retained log", refused.Status.Detail);

        // Trimmed to nothing, the log is still followed from its head.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = fleet.Rollouts.WatchRollout(new WatchRolloutRequest { App = RolloutFleet.App, FromRevision = head },
            cancellationToken: timeout.Token);
        var second = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", backupBefore: true));
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(head + 1, watch.ResponseStream.Current.Revision);
        Assert.Equal(second.Id, watch.ResponseStream.Current.Rollout.Id);
    }
}
