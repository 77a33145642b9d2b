using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

/// <summary>Two replicas of every service behind nginx; one of each dies (kill -9) in the middle of a rollout.</summary>
public class SuiteFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingOneReplicaOfEachServiceMidRolloutLosesNothing()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var suite = await HaSuite.StartAsync(SuiteShape.Uniform(replicas: 2, agents: 5));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: suite up, 5 instances HEALTHY");
        await using var watches = await SuiteWatches.StartAsync(suite);
        await using var loop = ClientLoop.Start(suite);

        var rollout = await suite.Rollouts.StartRolloutAsync(suite.RolloutTo("2.0"));
        await suite.WaitForStepAsync(rollout.Id, 1, RolloutStepPhase.Draining);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: second instance under way");

        // kill -9 one replica of each: the holders of the rollout driver's and the Registry reaper's leases (so both
        // are taken over), a prober (its targets move to the other) and a Backups replica.
        ServiceProcess[] killed =
        [
            await VictimAsync(suite, "rollouts", "rollouts-driver"),
            await VictimAsync(suite, "registry", "registry-reaper"),
            suite.Replicas("healthprobe")[0],
            suite.Replicas("backups")[0],
        ];
        await Task.WhenAll(killed.Select(v => v.KillAsync()));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: killed {string.Join(", ", killed.Select(k => k.GrpcUrl))}");

        var done = await suite.WaitForRolloutAsync(rollout.Id, RolloutState.Succeeded, TimeSpan.FromSeconds(180));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: rollout SUCCEEDED");
        Assert.All(done.Steps, s => Assert.Equal(RolloutStepPhase.Done, s.Phase));
        foreach (var agent in suite.Agents)
        {
            Assert.Equal(("2.0", 1), await agent.StatusAsync());
        }
        output.WriteLine($"{loop.Calls} calls through nginx during the rollout");
        Assert.True(loop.Failures.Count == 0, string.Join('\n', loop.Failures));
        output.WriteLine($"reads cut off by a kill (read again): {string.Join("; ", loop.CutOffReads)}");
        Assert.True(loop.CutOffReads.Count <= killed.Length, string.Join('\n', loop.CutOffReads));
        Assert.True(loop.Calls > 50, $"only {loop.Calls} calls made");
        await watches.AssertNoEventMissedAsync(output, killed);
    }

    /// <summary>The replica holding <paramref name="lease"/>, so that killing it forces a takeover.</summary>
    private static async Task<ServiceProcess> VictimAsync(HaSuite suite, string service, string lease) =>
        suite.Replicas(service)[await suite.LeaseHolderAsync(service, lease) == $"{service}-2" ? 1 : 0];
}
