using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;

namespace ControlPlane.HealthProbe.Tests;

/// <summary>Probing real DemoApp processes through the real gRPC API.</summary>
public class ProbingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    private const int Rise = 2;
    private const int Fall = 3;

    [Fact]
    public async Task AKilledInstanceIsUnhealthyOutOfTheReadySetAndWatchersAreToldWithinIntervalTimesFall()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", Interval, TimeSpan.FromMilliseconds(250), Rise, Fall);
        var victim = await fleet.AddInstanceAsync("grafana", "g-1");
        await fleet.AddInstanceAsync("grafana", "g-2");
        await fleet.WaitForStateAsync("g-1", HealthState.Healthy);
        await fleet.WaitForStateAsync("g-2", HealthState.Healthy);
        var revision = (await fleet.Health.ListHealthAsync(new ListHealthRequest { App = "grafana" })).Revision;
        using var watch = fleet.Health.WatchHealth(new WatchHealthRequest { App = "grafana", FromRevision = revision });

        var killedAt = Stopwatch.StartNew();
        await victim.KillAsync();
        var down = await NextAsync(watch, e => e.Health.InstanceId == "g-1" && e.Health.State == HealthState.Unhealthy);
        var detected = killedAt.Elapsed;

        Assert.True(detected <= Interval * Fall + TimeSpan.FromMilliseconds(700), $"detected after {detected.TotalMilliseconds:0} ms");
        Assert.True(down.ReadyChanged);
        Assert.False(down.Health.Ready);
        Assert.Contains("/livez", down.Health.Reason);
        var ready = await fleet.Health.GetReadySetAsync(new GetReadySetRequest { App = "grafana" });
        Assert.Equal(["g-2"], ready.Members.Select(m => m.InstanceId));
        Assert.Equal("g-1", Assert.Single(ready.Excluded).InstanceId);
        Assert.Equal(down.Revision, ready.Revision);

        // Back on the same port: HEALTHY again after `rise` passing rounds.
        var revived = fleet.Track(await DemoAppProcess.StartOnAsync(victim.Port, victim.GrpcPort!.Value));
        var liveAt = Stopwatch.StartNew();
        var up = await NextAsync(watch, e => e.Health.InstanceId == "g-1" && e.Health.State == HealthState.Healthy);
        Assert.True(liveAt.Elapsed <= Interval * (Rise + 1) + TimeSpan.FromMilliseconds(700), $"healthy after {liveAt.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(up.Health.Ready);
        Assert.True(revived.Port == victim.Port);
        ready = await fleet.Health.GetReadySetAsync(new GetReadySetRequest { App = "grafana" });
        Assert.Equal(["g-1", "g-2"], ready.Members.Select(m => m.InstanceId));
    }

    [Fact]
    public async Task AHangingInstanceFailsAtTheTimeoutWhileASlowButInTimeOneStaysHealthy()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), Rise, Fall);
        var slow = await fleet.AddInstanceAsync("grafana", "slow");
        var hanging = await fleet.AddInstanceAsync("grafana", "hanging");
        await fleet.WaitForStateAsync("slow", HealthState.Healthy);
        await fleet.WaitForStateAsync("hanging", HealthState.Healthy);

        await slow.SetFaultsAsync(new { delayMs = 150 });
        await hanging.SetFaultsAsync(new { hang = true });
        var failed = await fleet.WaitForStateAsync("hanging", HealthState.Unhealthy, TimeSpan.FromSeconds(10));
        Assert.Contains("timeout after 400 ms", failed.Reason);
        Assert.All(failed.Endpoints, e => Assert.Equal(ProbeOutcome.Timeout, e.Outcome));

        await Task.Delay(TimeSpan.FromSeconds(2));
        var stillFine = await fleet.Health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = "slow" });
        Assert.Equal(HealthState.Healthy, stillFine.State);
        var checkedNow = stillFine.Endpoints.Where(e => e.Endpoint != ProbeEndpointKind.Liveness).ToList();
        Assert.Equal(2, checkedNow.Count);
        Assert.All(checkedNow, e => Assert.InRange(e.Latency.ToTimeSpan(), TimeSpan.FromMilliseconds(140), TimeSpan.FromMilliseconds(400)));
    }

    [Fact]
    public async Task ADatabaseOutageReportedOnApiHealthIsDegradedAndNotReady()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", Interval, TimeSpan.FromMilliseconds(250), Rise, Fall);
        var demo = await fleet.AddInstanceAsync("grafana", "g-1", version: "10.4.1");
        var healthy = await fleet.WaitForStateAsync("g-1", HealthState.Healthy);
        Assert.Equal("10.4.1", healthy.ReportedVersion);

        await demo.SetFaultsAsync(new { database = "down" });
        var degraded = await fleet.WaitForStateAsync("g-1", HealthState.Degraded);

        Assert.False(degraded.Ready);
        Assert.Contains("database: failing", degraded.Reason);
        Assert.Contains(degraded.HealthReport.Dependencies, d => d.Name == "database" && !d.Ok);
        Assert.Empty((await fleet.Health.GetReadySetAsync(new GetReadySetRequest { App = "grafana" })).Members);
    }

    [Fact]
    public async Task ADrainedInstanceLeavesTheReadySetAtOnce()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), rise: 1, fall: 3);
        await fleet.AddInstanceAsync("grafana", "g-1");
        await fleet.WaitForStateAsync("g-1", HealthState.Healthy);

        var drainedAt = Stopwatch.StartNew();
        await fleet.Registry.SetDrainAsync(new SetDrainRequest { InstanceId = "g-1", Draining = true });
        while ((await fleet.Health.GetReadySetAsync(new GetReadySetRequest { App = "grafana" })).Members.Count > 0)
        {
            Assert.True(drainedAt.Elapsed < TimeSpan.FromSeconds(2), "still in the ready set 2 s after the drain");
            await Task.Delay(10);
        }
        // Far sooner than a probe round (5 s): the drain came through the Registry's watch, not a probe.
        Assert.InRange(drainedAt.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        var health = await fleet.Health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = "g-1" });
        Assert.Equal(HealthState.Healthy, health.State);
        Assert.Equal([NotReadyReason.Draining], health.NotReadyReasons);
    }

    [Fact]
    public async Task GrpcHealthChecksFollowTheInstancesServingStatus()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grpcapp", Interval, TimeSpan.FromMilliseconds(250), Rise, Fall, HealthCheckProtocol.Grpc);
        var demo = await fleet.AddInstanceAsync("grpcapp", "r-1", grpc: true);
        var healthy = await fleet.WaitForStateAsync("r-1", HealthState.Healthy);
        Assert.Equal("SERVING", Assert.Single(healthy.Endpoints).GrpcServingStatus);

        await demo.SetFaultsAsync(new { readiness = "fail" });
        var unhealthy = await fleet.WaitForStateAsync("r-1", HealthState.Unhealthy);
        Assert.Equal("NOT_SERVING", Assert.Single(unhealthy.Endpoints).GrpcServingStatus);
    }

    [Fact]
    public async Task AMetadataAddressIsNeverFetched()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await fleet.UpsertAppAsync("grafana", Interval, TimeSpan.FromMilliseconds(250), Rise, Fall);
        await fleet.RegisterAsync("grafana", "evil", "http://169.254.169.254/latest/meta-data/");

        var refused = await fleet.WaitForStateAsync("evil", HealthState.Unhealthy);
        Assert.Contains("169.254.0.0/16", refused.Reason);
        Assert.Empty(refused.Endpoints);

        var probed = await fleet.Health.ProbeNowAsync(new ProbeNowRequest { InstanceIds = { "evil" } });
        var result = Assert.Single(probed.Results);
        Assert.Empty(result.Endpoints);
        Assert.False(result.Success);
        await Task.Delay(Interval * 3);
        Assert.Empty((await fleet.Health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = "evil" })).Endpoints);
    }

    [Fact]
    public async Task ARestartedProberRemembersEachInstancesState()
    {
        var folder = InProcessHost.NewFolder();
        InstanceHealth before;
        await using (var fleet = await ProbedFleet.StartAsync(folder))
        {
            await fleet.UpsertAppAsync("grafana", Interval, TimeSpan.FromMilliseconds(250), rise: 1, fall: 1);
            await fleet.RegisterAsync("grafana", "gone", $"http://127.0.0.1:{FreePorts.Next()}");
            await fleet.WaitForStateAsync("gone", HealthState.Unhealthy);
            await Task.Delay(500);
            before = await fleet.Health.GetInstanceHealthAsync(new GetInstanceHealthRequest { InstanceId = "gone" });
            Assert.True(before.Revision > 0, "the transition was persisted");
        }
        var restartedAt = DateTime.UtcNow;
        await using var restarted = await ProbedFleet.StartAsync(folder);

        // Remembered, not judged anew: a new judgement would start from UNKNOWN and be stamped after the restart.
        var health = await restarted.WaitForStateAsync("gone", HealthState.Unhealthy, TimeSpan.FromSeconds(5));
        Assert.True(health.StateSince.ToDateTime() < restartedAt);
        Assert.Equal(before.StateSince, health.StateSince);
        Assert.Equal(before.Revision, health.Revision);
    }

    [Fact]
    public async Task BadRequestsNameTheField()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        await RpcAssert.InvalidFieldAsync("format", () => fleet.Health.RenderLoadBalancerConfigAsync(new RenderLoadBalancerConfigRequest { App = "grafana" }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("options.listen_port", () => fleet.Health.RenderLoadBalancerConfigAsync(new RenderLoadBalancerConfigRequest
        {
            App = "grafana",
            Format = LoadBalancerFormat.Nginx,
            Options = new LoadBalancerOptions { ListenPort = 70000 },
        }).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("instance_ids", () => fleet.Health.ProbeNowAsync(new ProbeNowRequest()).ResponseAsync);
        await RpcAssert.InvalidFieldAsync("instance_id", () => fleet.Health.GetInstanceHealthAsync(new GetInstanceHealthRequest()).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => fleet.Health.GetReadySetAsync(new GetReadySetRequest { App = "nosuchapp" }).ResponseAsync);
    }

    [Fact]
    public async Task AnAppCreatedAMomentAgoHasAnEmptyReadySetRatherThanNotFound()
    {
        await using var fleet = await ProbedFleet.StartAsync();
        // Asked before the prober has heard of the app by its AppUpserted event: the Registry is asked instead.
        await fleet.UpsertAppAsync("fresh", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));
        var ready = await fleet.Health.GetReadySetAsync(new GetReadySetRequest { App = "fresh" });
        Assert.Equal("fresh", ready.App);
        Assert.Empty(ready.Members);
        var config = await fleet.Health.RenderLoadBalancerConfigAsync(new RenderLoadBalancerConfigRequest { App = "fresh", Format = LoadBalancerFormat.Nginx });
        Assert.Equal(0, config.ServerCount);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => fleet.Health.ProbeNowAsync(new ProbeNowRequest { App = "nosuchapp" }).ResponseAsync);
    }

    private static async Task<HealthEvent> NextAsync(AsyncServerStreamingCall<HealthEvent> watch, Func<HealthEvent, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await watch.ResponseStream.MoveNext(timeout.Token))
        {
            if (match(watch.ResponseStream.Current))
            {
                return watch.ResponseStream.Current;
            }
        }
        throw new InvalidOperationException("the watch ended");
    }
}
