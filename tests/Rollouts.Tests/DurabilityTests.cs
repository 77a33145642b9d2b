using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Net.Client;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Rollouts.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public async Task AKilledRolloutsProcessResumesOnRestartAndAppliesEveryInstanceOnce()
    {
        await using var fleet = await RolloutFleet.StartAsync(withRollouts: false);
        await fleet.AddInstancesAsync(3);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = $"Data Source={Path.Combine(fleet.Folder, "rollouts.db")}",
            ["ConnectionStrings__RabbitMq"] = fleet.Vhost.ConnectionString,
            ["ControlPlane__InstanceId"] = "rollouts-under-test",
            ["Rollouts__RegistryUrl"] = fleet.Host.GrpcUrl,
            ["Rollouts__HealthProbeUrl"] = fleet.Host.GrpcUrl,
            ["Rollouts__PollInterval"] = "00:00:00.100",
        };

        string rolloutId;
        await using (var first = ServiceProcess.Start("ControlPlane.Rollouts.Host", environment))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            using var channel = TestCredentials.Channel(first.GrpcUrl);
            fleet.Rollouts = new RolloutsClient(channel);
            rolloutId = (await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", minHealthy: TimeSpan.FromSeconds(1)))).Id;
            // Mid-rollout: the second instance has been sent its release.
            await RolloutFleet.WaitForAsync(async () =>
            {
                var r = await fleet.Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId });
                return r.Steps[1].Phase >= RolloutStepPhase.Applying;
            }, TimeSpan.FromSeconds(30), "second step applying");
            // kill -9: disposing kills the process without a graceful shutdown.
        }

        await using var second = ServiceProcess.Start("ControlPlane.Rollouts.Host", environment);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var channel2 = TestCredentials.Channel(second.GrpcUrl);
        fleet.Rollouts = new RolloutsClient(channel2);
        // The first holder's lease must expire (10 s TTL) before the restarted process takes over.
        var done = await fleet.WaitForStateAsync(rolloutId, RolloutState.Succeeded, TimeSpan.FromSeconds(50));

        Assert.All(done.Steps, s => Assert.Equal(RolloutStepPhase.Done, s.Phase));
        foreach (var agent in fleet.Agents)
        {
            Assert.Equal(("2.0", 1), await agent.StatusAsync());
        }
    }

    [Fact]
    public async Task BackupBeforeWithBackupsFailingStopsTheRolloutBeforeTouchingAnInstance()
    {
        var closedPort = FreePorts.Next();
        await using var fleet = await RolloutFleet.StartAsync(new Dictionary<string, string?> { ["Rollouts:BackupsUrl"] = $"http://127.0.0.1:{closedPort}" });
        await fleet.AddInstancesAsync(2);

        var started = await fleet.Rollouts.StartRolloutAsync(fleet.Request("2.0", backupBefore: true));
        var ended = await fleet.WaitForStateAsync(started.Id, RolloutState.Failed);

        Assert.Contains("backup_before failed", ended.Reason);
        Assert.All(ended.Steps, s => Assert.Equal(RolloutStepPhase.Pending, s.Phase));
        Assert.Equal(2, (await fleet.ReadySetAsync()).Members.Count);
        foreach (var agent in fleet.Agents)
        {
            Assert.Equal(("1.0", 0), await agent.StatusAsync());
        }
    }
}
