using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12 "Rollouts: control-plane overhead under 100 ms per instance beyond the configured waits": N instantly
/// healthy instances (one Kestrel app, an instance per sub-path) under in-process fake Agents that switch the served
/// version at once, rolled out one at a time with min_healthy_time 0 by the real Registry, HealthProbe and Rollouts.
/// Everything the rollout takes is control-plane overhead: drain, send, answer, probe, verify, undrain, persistence.
/// </summary>
public sealed class RolloutOverheadScenario : IBenchScenario
{
    private static readonly ConcurrentDictionary<string, string> Versions = new();

    public string Name => "rollout";

    public string Description => "Rollouts overhead per instance, and each stage's share: --instances 50 [--spans on]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var count = options.Int("instances", 50);
        // --spans: also every span of every source in the process, by total time (what a stage spends it on).
        var everySpan = options.Get("spans", "off") == "on";
        await using var fleet = await ServeInstancesAsync(count, cancellationToken);
        var ids = Enumerable.Range(1, count).Select(i => $"b-{i}").ToList();
        await using var host = await InProcessHost.StartAsync(
            b => b.AddRegistry().AddHealthProbe().AddRollouts(),
            a => a.MapRegistry().MapHealthProbe().MapRollouts(),
            new Dictionary<string, string?> { ["Rollouts:PollInterval"] = "00:00:00.050" });
        // One fake Agent queue per instance (Rollouts sends to the instance's own Agent). Registered consumers get one
        // endpoint per consumer type, so the queues are connected to the running bus instead.
        var connector = host.Services.GetRequiredService<IReceiveEndpointConnector>();
        foreach (var id in ids)
        {
            await connector.ConnectReceiveEndpoint(AgentQueue.Name(id), (_, e) => e.Consumer<FakeAgent>()).Ready;
        }
        var registry = new RegistryClient(host.Channel);
        var rollouts = new RolloutsClient(host.Channel);
        await registry.UpsertAppAsync(new UpsertAppRequest
        {
            App = new App
            {
                Name = "bench",
                HealthCheck = new HealthCheckSpec { Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)), Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(500)), Rise = 1, Fall = 3 },
            },
        }, cancellationToken: cancellationToken);
        foreach (var id in ids)
        {
            Versions[id] = "1.0";
            await registry.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = id, App = "bench", Address = $"{fleet.Urls.First()}/i/{id}", Version = "1.0",
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
            }, cancellationToken: cancellationToken);
        }
        Console.WriteLine($"{count} instances registered");
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // every instance probed HEALTHY at 1.0

        // A first rollout (to 1.5) warms the process up (JIT, pools, caches); the second (to 2.0) is measured. Both print.
        var warmUp = await RollOutAsync(rollouts, "1.5", cancellationToken);
        Report("warm-up", warmUp.State, warmUp.Took, count);
        using var stages = new StageTimes("ControlPlane.Rollouts", "rollout step ");
        using var spans = everySpan ? new StageTimes(null, "") : null;
        var measured = await RollOutAsync(rollouts, "2.0", cancellationToken);
        Report("measured", measured.State, measured.Took, count);
        stages.Print(count);
        spans?.Print(count, top: 20);
        return warmUp.State == RolloutState.Succeeded && measured.State == RolloutState.Succeeded ? 0 : 1;
    }

    private static void Report(string which, RolloutState state, TimeSpan took, int count) =>
        Console.WriteLine($"{which}: rollout of {count} instances, max_parallel 1, min_healthy_time 0: {state} in {took.TotalSeconds:0.00} s, " +
                          $"{took.TotalMilliseconds / count:0} ms per instance (target: under 100 ms; {count} instances within {count * 0.1:0} s)");

    private static async Task<(RolloutState State, TimeSpan Took)> RollOutAsync(RolloutsClient rollouts, string version, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = await rollouts.StartRolloutAsync(new StartRolloutRequest
        {
            App = "bench",
            Target = new RolloutTarget { Version = version },
            Strategy = new RolloutStrategy { MaxParallel = 1, MinHealthyTime = new Duration(), AutoRevert = false },
        }, cancellationToken: cancellationToken);
        Rollout rollout;
        var report = Stopwatch.StartNew();
        do
        {
            // Every 100 ms: the end is seen at most 2 ms per instance late (50 instances), and the bench's own calls
            // take little of the CPU the control plane in this process runs on.
            await Task.Delay(100, cancellationToken);
            rollout = await rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = started.Id }, cancellationToken: cancellationToken);
            if (report.Elapsed > TimeSpan.FromSeconds(5))
            {
                // Progress while it runs, so a stalled rollout shows where it stands.
                report.Restart();
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: {rollout.State}, steps " +
                    string.Join(", ", rollout.Steps.GroupBy(s => s.Phase).Select(g => $"{g.Key} {g.Count()}")));
            }
        }
        while (rollout.State is RolloutState.Pending or RolloutState.Running);
        return (rollout.State, clock.Elapsed);
    }

    /// <summary>One Kestrel app serving every instance under /i/{id}: /livez, /readyz and /api/health at its current version.</summary>
    private static async Task<WebApplication> ServeInstancesAsync(int count, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePorts.Next()}");
        var app = builder.Build();
        app.MapGet("/i/{id}/livez", () => "ok");
        app.MapGet("/i/{id}/readyz", () => "ok");
        app.MapGet("/i/{id}/api/health", (string id) => Results.Json(new { version = Versions.GetValueOrDefault(id, "?"), commit = "bench", database = "ok", instanceId = id }));
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>An Agent whose instance switches version instantly.</summary>
    private sealed class FakeAgent : IConsumer<ApplyRelease>
    {
        public async Task Consume(ConsumeContext<ApplyRelease> context)
        {
            var command = context.Message;
            Versions[command.InstanceId] = command.Version;
            await context.Publish(new ReleaseApplied(command.AgentId, command.InstanceId, command.RolloutId, command.ApplyId,
                command.Version, command.ConfigHash, false, DateTimeOffset.UtcNow));
        }
    }
}
