using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.Rollouts.Tests;

/// <summary>
/// Registry, HealthProbe and Rollouts in one host (as AllInOne composes them) on SQLite and a RabbitMQ vhost of its
/// own, with real Agent processes each supervising a real DemoApp. Probing is fast (250 ms, rise 1, fall 2).
/// </summary>
public sealed class RolloutFleet : IAsyncDisposable
{
    public const string App = "grafana";
    private readonly List<AgentProcess> _agents = [];

    private RolloutFleet(InProcessHost host, RabbitMqVhost vhost, string folder)
    {
        Host = host;
        Vhost = vhost;
        Folder = folder;
        Registry = new RegistryClient(host.Channel);
        Health = new HealthProbeClient(host.Channel);
        Rollouts = new RolloutsClient(host.Channel);
    }

    /// <summary>Where Rollouts is reached; a test running Rollouts as a process points it there.</summary>
    public RolloutsClient Rollouts { get; set; }

    public InProcessHost Host { get; }
    public RabbitMqVhost Vhost { get; }
    public string Folder { get; }
    public RegistryClient Registry { get; }
    public HealthProbeClient Health { get; }
    public IReadOnlyList<AgentProcess> Agents => _agents;

    /// <param name="withRollouts">False: Rollouts runs elsewhere (e.g. as its own process, to be killed).</param>
    public static async Task<RolloutFleet> StartAsync(IDictionary<string, string?>? settings = null, bool withRollouts = true)
    {
        var vhost = await RabbitMqVhost.CreateAsync();
        var folder = InProcessHost.NewFolder();
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = vhost.ConnectionString,
            ["Registry:HeartbeatFlushInterval"] = "00:00:00.200",
            ["Rollouts:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var host = await InProcessHost.StartAsync(
            b =>
            {
                b.AddRegistry().AddHealthProbe();
                if (withRollouts)
                {
                    b.AddRollouts();
                }
            },
            a =>
            {
                a.MapRegistry().MapHealthProbe();
                if (withRollouts)
                {
                    a.MapRollouts();
                }
            },
            all, Directory.CreateDirectory(Path.Combine(folder, "host")).FullName);
        var fleet = new RolloutFleet(host, vhost, folder);
        await fleet.Registry.UpsertAppAsync(FastProbedApp.Upsert(App));
        return fleet;
    }

    /// <summary>Starts <paramref name="count"/> Agents (gf-1...) at <paramref name="version"/> and waits until all are HEALTHY.</summary>
    public async Task AddInstancesAsync(int count, string version = "1.0", string faults = "", string? registryUrl = null)
    {
        var started = Enumerable.Range(_agents.Count + 1, count)
            .Select(i => AgentProcess.Start(App, $"gf-{i}", version, registryUrl ?? Host.GrpcUrl, Vhost.ConnectionString, Folder, faults))
            .ToList();
        _agents.AddRange(started);
        foreach (var agent in started)
        {
            await WaitForAsync(() => IsHealthyAsync(agent.InstanceId, version), TimeSpan.FromSeconds(60), $"{agent.InstanceId} HEALTHY at {version}",
                () => agent.Process.Output);
        }
    }

    public Task<bool> IsHealthyAsync(string instanceId, string version) =>
        FastProbedApp.IsHealthyAsync(Health, instanceId, version);

    public async Task<ReadySet> ReadySetAsync() => await Health.GetReadySetAsync(new GetReadySetRequest { App = App });

    public StartRolloutRequest Request(string version, int maxParallel = 1, TimeSpan? minHealthy = null, TimeSpan? healthyDeadline = null,
        bool autoRevert = true, int canary = 0, bool backupBefore = false, string requestId = "") => new()
    {
        App = App,
        Target = new RolloutTarget { Version = version },
        Strategy = new RolloutStrategy
        {
            MaxParallel = maxParallel,
            MinHealthyTime = Duration.FromTimeSpan(minHealthy ?? TimeSpan.FromMilliseconds(300)),
            HealthyDeadline = Duration.FromTimeSpan(healthyDeadline ?? TimeSpan.FromSeconds(20)),
            ProgressDeadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)),
            AutoRevert = autoRevert,
            Canary = canary,
            BackupBefore = backupBefore,
        },
        Initiator = "test",
        RequestId = requestId,
    };

    public async Task<Rollout> WaitForStateAsync(string rolloutId, RolloutState state, TimeSpan? timeout = null)
    {
        Rollout? last = null;
        await WaitForAsync(async () =>
        {
            last = await Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId });
            return last.State == state;
        }, timeout ?? TimeSpan.FromSeconds(45), $"rollout {rolloutId} {state}", () => last?.ToString() ?? "");
        return last!;
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"not {what} within {timeout}: {detail?.Invoke()}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        await Host.DisposeAsync();
        await Vhost.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing process: the temp folder is cleaned by the OS.
        }
    }
}
