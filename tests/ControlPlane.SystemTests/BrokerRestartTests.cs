using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Xunit.Abstractions;

namespace ControlPlane.SystemTests;

[Collection(OutageCollection.Name)]
[Trait("Category", Outage.Category)]
public class BrokerRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ARolloutCompletesAcrossARabbitMqRestartAndWatchersMissNoEvent()
    {
        // Watchers on two replicas of Registry and Rollouts; one prober, and no Backups (the rollout takes no backup).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var suite = await HaSuite.StartAsync(new SuiteShape(Agents: 2, new Dictionary<string, int>
        {
            ["registry"] = 2, ["rollouts"] = 2, ["healthprobe"] = 1,
        }));
        await using var watches = await SuiteWatches.StartAsync(suite);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: suite up");

        var rollout = await suite.Rollouts.StartRolloutAsync(suite.RolloutTo("2.0"));
        await suite.WaitForStepAsync(rollout.Id, 0, RolloutStepPhase.Applying);
        try
        {
            await Broker.StopAsync();
            // Long enough for every replica to notice (heartbeat 5 s) while the rollout keeps asking for the bus.
            await Task.Delay(TimeSpan.FromSeconds(6));
        }
        finally
        {
            await Broker.StartAsync();
        }
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: broker back");

        var done = await suite.WaitForRolloutAsync(rollout.Id, RolloutState.Succeeded, TimeSpan.FromSeconds(180));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: rollout SUCCEEDED");
        Assert.All(done.Steps, s => Assert.Equal(RolloutStepPhase.Done, s.Phase));
        foreach (var agent in suite.Agents)
        {
            Assert.Equal(("2.0", 1), await agent.StatusAsync());
        }
        await watches.AssertNoEventMissedAsync(output, []);
    }
}
