using ControlPlane.Api.V1;
using ControlPlane.Testing;

namespace ControlPlane.HealthProbe.Tests;

/// <summary>WatchHealth's include_probes: every counted probe, live, over the real gRPC API (the dashboard's latency chart).</summary>
public class ProbeFeedTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task AWatchWithProbesGetsEveryProbeOfItsInstancesLiveAndNoneIsStored()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", Interval, TimeSpan.FromMilliseconds(150), rise: 1, fall: 2);
        await fleet.UpsertAppAsync("other", Interval, TimeSpan.FromMilliseconds(150), rise: 1, fall: 2);
        await fleet.AddInstanceAsync("grafana", "g-1");
        var victim = await fleet.AddInstanceAsync("grafana", "g-2");
        await fleet.AddInstanceAsync("other", "o-1");
        await fleet.WaitForStateAsync("g-1", HealthState.Healthy);
        await fleet.WaitForStateAsync("g-2", HealthState.Healthy);
        await fleet.WaitForStateAsync("o-1", HealthState.Healthy);
        var revision = (await fleet.Health.ListHealthAsync(new ListHealthRequest())).Revision;

        using var all = new StreamCollector<HealthEvent>(
            fleet.Health.WatchHealth(new WatchHealthRequest { App = "grafana", FromRevision = revision, IncludeProbes = true }));
        using var one = new StreamCollector<HealthEvent>(
            fleet.Health.WatchHealth(new WatchHealthRequest { App = "grafana", InstanceId = "g-1", FromRevision = revision, IncludeProbes = true }));
        var probes = await all.DuringAsync(TimeSpan.FromSeconds(2));

        // About ten probes of each in 2 s at 200 ms; fewer than five would mean probes are missing.
        Assert.All(probes, e => Assert.Equal(HealthEventType.Probed, e.Type));
        Assert.Equal(["g-1", "g-2"], probes.Select(e => e.Probe.InstanceId).Distinct().Order());
        foreach (var instance in probes.GroupBy(e => e.Probe.InstanceId))
        {
            Assert.True(instance.Count() >= 5, $"{instance.Key}: {instance.Count()} probes in 2 s");
            var times = instance.Select(e => e.Probe.CheckedAt.ToDateTime()).ToList();
            Assert.Equal(times.Order(), times);
            Assert.Equal(times.Count, times.Distinct().Count());
            Assert.All(instance, e => Assert.True(e.Probe.Passed && e.Probe.Latency.ToTimeSpan() > TimeSpan.Zero && e.Probe.App == "grafana"));
            Assert.All(instance, e => Assert.NotEmpty(e.Probe.ProberId));
        }
        // Live only: the revision is the last stored event sent, and nothing was stored.
        Assert.All(probes, e => Assert.Equal(revision, e.Revision));
        Assert.NotEmpty(one.Messages);
        Assert.All(one.Messages, e => Assert.Equal("g-1", e.Probe.InstanceId));

        // A failing probe is sent as one (passed = false).
        var killedAt = all.Messages.Count;
        await victim.KillAsync();
        var failed = await all.NextAsync(e => e.Type == HealthEventType.Probed && e.Probe.InstanceId == "g-2" && !e.Probe.Passed, from: killedAt);
        Assert.Equal("grafana", failed.Probe.App);
        // From the kill, not from now: the change may already have arrived with the failed probe.
        var down = await all.NextAsync(e => e.Type == HealthEventType.Changed && e.Health.InstanceId == "g-2", from: killedAt);
        Assert.Equal(HealthState.Unhealthy, down.Health.State);

        // A watch without probes, from the same revision, replays only the stored change that followed: no probe.
        using var stored = new StreamCollector<HealthEvent>(fleet.Health.WatchHealth(new WatchHealthRequest { App = "grafana", FromRevision = revision }));
        var replayed = await stored.NextAsync(_ => true, from: 0);
        Assert.Equal(down.Revision, replayed.Revision);
        Assert.DoesNotContain(await stored.DuringAsync(TimeSpan.FromSeconds(1)), e => e.Type == HealthEventType.Probed);
    }
}
