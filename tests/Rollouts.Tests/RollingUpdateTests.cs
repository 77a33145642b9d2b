using ControlPlane.Api.V1;

namespace ControlPlane.Rollouts.Tests;

public sealed class RollingUpdateTests
{
    [Fact]
    public async Task FiveInstancesAreUpdatedOneAtATimeAndAllEndReadyAtTheNewVersion()
    {
        await using var fleet = await RolloutFleet.StartAsync();
        await fleet.AddInstancesAsync(5);

        var started = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", maxParallel: 1));
        var mostOut = 0;
        Rollout current;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        do
        {
            var ready = await fleet.ReadySetAsync();
            mostOut = Math.Max(mostOut, 5 - ready.Members.Count);
            current = await fleet.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = started.Id });
            await Task.Delay(30);
        }
        while (current.State is RolloutState.Pending or RolloutState.Running && DateTime.UtcNow < deadline);

        Assert.True(current.State == RolloutState.Succeeded, current.ToString());
        Assert.True(mostOut <= 1, $"{mostOut} instances were out of the ready set at once");
        Assert.All(current.Steps, s => Assert.Equal(RolloutStepPhase.Done, s.Phase));
        await RolloutFleet.WaitForAsync(async () => (await fleet.ReadySetAsync()).Members.Count == 5, TimeSpan.FromSeconds(5), "all 5 ready");
        foreach (var agent in fleet.Agents)
        {
            Assert.True(await fleet.IsHealthyAsync(agent.InstanceId, "2.0"), $"{agent.InstanceId} not HEALTHY at 2.0");
            Assert.Equal(("2.0", 1), await agent.StatusAsync());
        }
    }
}
