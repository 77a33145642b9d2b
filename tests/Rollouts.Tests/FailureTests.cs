using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.Rollouts.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task AVersionThatNeverBecomesReadyIsRolledBackEverywhere()
    {
        await using var fleet = await RolloutFleet.StartAsync();
        await fleet.AddInstancesAsync(3, faults: "3.0=readiness");

        var started = await fleet.Rollouts.StartRolloutAsync(fleet.Request("3.0", healthyDeadline: TimeSpan.FromSeconds(3)));
        var ended = await fleet.WaitForStateAsync(started.Id, RolloutState.RolledBack);

        Assert.Contains("not HEALTHY at 3.0 within healthy_deadline", ended.Reason);
        await RolloutFleet.WaitForAsync(async () => (await fleet.ReadySetAsync()).Members.Count == 3, TimeSpan.FromSeconds(10), "all 3 ready");
        foreach (var agent in fleet.Agents)
        {
            Assert.True(await fleet.IsHealthyAsync(agent.InstanceId, "1.0"), $"{agent.InstanceId} not HEALTHY at 1.0");
            Assert.Equal("1.0", (await agent.StatusAsync()).Version);
        }
    }

    [Fact]
    public async Task TheSameRequestIdStartsOneRolloutAndABusyAppIsRefused()
    {
        await using var fleet = await RolloutFleet.StartAsync();
        await fleet.AddInstancesAsync(2);

        var first = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", minHealthy: TimeSpan.FromSeconds(2), requestId: "req-1"));
        var again = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", minHealthy: TimeSpan.FromSeconds(2), requestId: "req-1"));
        Assert.Equal(first.Id, again.Id);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition,
            () => fleet.Rollouts.StartRolloutAsync(fleet.Request("2.1", requestId: "req-2")).ResponseAsync);

        var list = await fleet.Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = RolloutFleet.App });
        Assert.Single(list.Rollouts);
        await fleet.WaitForStateAsync(first.Id, RolloutState.Succeeded);
    }

    [Fact]
    public async Task ACanaryPausesUntilPromotedAndAbortLeavesEveryInstanceServing()
    {
        await using var fleet = await RolloutFleet.StartAsync();
        await fleet.AddInstancesAsync(3);

        var promoted = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", canary: 1));
        var paused = await fleet.WaitForStateAsync(promoted.Id, RolloutState.Paused);
        Assert.True(paused.Canary.AwaitingPromotion);
        Assert.Equal(RolloutStepPhase.Done, paused.Steps[0].Phase);
        Assert.All(paused.Steps.Skip(1), s => Assert.Equal(RolloutStepPhase.Pending, s.Phase));
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition,
            () => fleet.Rollouts.ResumeRolloutAsync(new ResumeRolloutRequest { RolloutId = promoted.Id }).ResponseAsync);
        await fleet.Rollouts.PromoteRolloutAsync(new PromoteRolloutRequest { RolloutId = promoted.Id, Initiator = "alice" });
        var done = await fleet.WaitForStateAsync(promoted.Id, RolloutState.Succeeded);
        Assert.Equal("alice", done.Canary.PromotedBy);

        var aborted = await fleet.Rollouts.StartRolloutAsync(fleet.Request("3.0", canary: 1));
        await fleet.WaitForStateAsync(aborted.Id, RolloutState.Paused);
        var ended = await fleet.Rollouts.AbortRolloutAsync(new AbortRolloutRequest { RolloutId = aborted.Id, Reason = "enough" });
        Assert.Equal(RolloutState.Aborted, ended.State);
        await RolloutFleet.WaitForAsync(async () => (await fleet.ReadySetAsync()).Members.Count == 3, TimeSpan.FromSeconds(10), "all 3 serving");
    }
}
