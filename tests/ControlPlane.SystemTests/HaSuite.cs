using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;
using HealthProbeClient = ControlPlane.Api.V1.HealthProbe.HealthProbeClient;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;
using RolloutsClient = ControlPlane.Api.V1.Rollouts.RolloutsClient;

namespace ControlPlane.SystemTests;

/// <param name="Agents">Agents, each supervising a DemoApp instance of the suite's app.</param>
/// <param name="Replicas">Replicas of each service (registry, healthprobe, rollouts, backups); 0: not run.</param>
/// <param name="Redis">Whether the replicas share the test Redis as their cache.</param>
/// <param name="Memcached">A memcached (host:port) the replicas share as their cache instead of Redis.</param>
/// <param name="Database">A database the replicas share instead of the suite's fresh PostgreSQL one (e.g. MariaDB's).</param>
public sealed record SuiteShape(int Agents, IReadOnlyDictionary<string, int> Replicas, bool Redis = true, string? Memcached = null,
    string? Database = null)
{
    /// <summary><paramref name="replicas"/> of every service.</summary>
    public static SuiteShape Uniform(int replicas, int agents) => new(agents, HaSuite.Services.ToDictionary(s => s, _ => replicas));
}

/// <summary>
/// The suite in HA mode as an operator runs it: replicas of every service as separate processes on one PostgreSQL
/// database, one RabbitMQ vhost and Redis, behind the real nginx (deploy/nginx); every service, and every Agent,
/// reaches the others through nginx. Disposing stops every process it started, also when the test failed.
/// </summary>
public sealed class HaSuite : IAsyncDisposable
{
    public static readonly string[] Services = ["registry", "healthprobe", "rollouts", "backups"];
    // Eighteen .NET processes starting at once on a shared 2-core machine: minutes, not seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);

    private readonly List<AgentProcess> _agents = [];
    private readonly Dictionary<string, List<ServiceProcess>> _replicas = [];
    private NginxProcess? _nginx;

    private HaSuite(PostgresDatabase database, RabbitMqVhost vhost, string folder, int nginxPort)
    {
        Database = database;
        Vhost = vhost;
        Folder = folder;
        Url = $"http://127.0.0.1:{nginxPort}";
        Channel = ReplicatedChannel.For(Url);
        Registry = new RegistryClient(Channel);
        Health = new HealthProbeClient(Channel);
        Rollouts = new RolloutsClient(Channel);
        Backups = new BackupsClient(Channel);
        // Unique per suite: the tests share one Redis, whose keys are named after apps.
        App = $"fleet-{Guid.NewGuid():N}"[..14];
    }

    public PostgresDatabase Database { get; }
    public RabbitMqVhost Vhost { get; }
    public string Folder { get; }
    public string App { get; }

    /// <summary>nginx: where clients, Agents and the services themselves reach the suite.</summary>
    public string Url { get; }

    public GrpcChannel Channel { get; }
    public RegistryClient Registry { get; }
    public HealthProbeClient Health { get; }
    public RolloutsClient Rollouts { get; }
    public BackupsClient Backups { get; }
    public IReadOnlyList<AgentProcess> Agents => _agents;

    public IReadOnlyList<ServiceProcess> Replicas(string service) => _replicas[service];

    /// <summary>
    /// A write and a read on every service during a cache outage; the app's desired version, set to
    /// <paramref name="version"/>, is read back (from the database, as the cache cannot hold it). Returns how long it took.
    /// </summary>
    public async Task<TimeSpan> CallEveryServiceAsync(string version)
    {
        var started = DateTime.UtcNow;
        await Registry.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = App, DesiredVersion = version } });
        Xunit.Assert.Equal(version, (await Registry.GetAppAsync(new GetAppRequest { Name = App })).DesiredVersion);
        await Registry.ListInstancesAsync(new ListInstancesRequest { App = App });
        await Health.GetReadySetAsync(new GetReadySetRequest { App = App });
        await Rollouts.ListRolloutsAsync(new ListRolloutsRequest { App = App });
        await Backups.ListBackupsAsync(new ListBackupsRequest());
        return DateTime.UtcNow - started;
    }

    /// <summary>Whether every replica's /readyz answers 200 with <paramref name="status"/> ("Healthy", "Degraded").</summary>
    public async Task<bool> AllReadyAsync(string status)
    {
        foreach (var replica in Services.SelectMany(Replicas))
        {
            var ready = await replica.Http.GetAsync("/readyz");
            if (ready.StatusCode != System.Net.HttpStatusCode.OK || await ready.Content.ReadAsStringAsync() != status)
            {
                return false;
            }
        }
        return true;
    }

    public static async Task<HaSuite> StartAsync(SuiteShape shape)
    {
        var database = await PostgresDatabase.CreateAsync();
        var vhost = await RabbitMqVhost.CreateAsync();
        var suite = new HaSuite(database, vhost, Directory.CreateTempSubdirectory("cp-ha-suite-").FullName, FreePorts.Next());
        try
        {
            await suite.StartServicesAsync(shape);
            await suite.AddAppAsync();
            await suite.StartAgentsAsync(shape.Agents);
            return suite;
        }
        catch
        {
            await suite.DisposeAsync();
            throw;
        }
    }

    private async Task StartServicesAsync(SuiteShape shape)
    {
        foreach (var service in Services)
        {
            _replicas[service] = Enumerable.Range(1, shape.Replicas.GetValueOrDefault(service))
                .Select(i => ServiceProcess.Start(HostAssembly(service), Environment(service, $"{service}-{i}", shape)))
                .ToList();
        }
        _nginx = await NginxProcess.StartAsync(
            _replicas.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value.Select(p => new Uri(p.GrpcUrl).Authority).ToList()),
            new Uri(Url).Port);
        await Task.WhenAll(_replicas.Values.SelectMany(r => r).Select(r => r.WaitUntilReadyAsync(StartTimeout)));
    }

    private Dictionary<string, string> Environment(string service, string replicaId, SuiteShape shape)
    {
        var environment = new Dictionary<string, string>
        {
            ["ControlPlane__HighAvailability"] = "true",
            ["ControlPlane__InstanceId"] = replicaId,
            ["ConnectionStrings__ControlPlane"] = shape.Database ?? Database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = Vhost.ConnectionString,
        };
        if (shape.Memcached is { } memcached)
        {
            environment["ConnectionStrings__Memcached"] = memcached;
        }
        else if (shape.Redis)
        {
            environment["ConnectionStrings__Redis"] = BackingServices.Redis;
        }
        switch (service)
        {
            case "registry":
                environment["Registry__HeartbeatFlushInterval"] = "00:00:00.200";
                break;
            case "healthprobe":
                environment["HealthProbe__RegistryUrl"] = Url;
                break;
            case "rollouts":
                environment["Rollouts__RegistryUrl"] = Url;
                environment["Rollouts__HealthProbeUrl"] = Url;
                environment["Rollouts__BackupsUrl"] = Url;
                environment["Rollouts__PollInterval"] = "00:00:00.100";
                break;
            case "backups":
                environment["Backups__RegistryUrl"] = Url;
                // Replicas share the artifact repository, as they would share a volume.
                environment["Backups__RepositoryPath"] = Path.Combine(Folder, "backups");
                break;
        }
        return environment;
    }

    private static string HostAssembly(string service) => service switch
    {
        "registry" => "ControlPlane.Registry.Host",
        "healthprobe" => "ControlPlane.HealthProbe.Host",
        "rollouts" => "ControlPlane.Rollouts.Host",
        _ => "ControlPlane.Backups.Host",
    };

    /// <summary>Fast probing (250 ms, rise 1, fall 2) so rollouts take seconds, not minutes.</summary>
    private Task AddAppAsync() => Registry.UpsertAppAsync(FastProbedApp.Upsert(App)).ResponseAsync;

    private async Task StartAgentsAsync(int count)
    {
        _agents.AddRange(Enumerable.Range(1, count)
            .Select(i => AgentProcess.Start(App, $"gf-{i}", "1.0", Url, Vhost.ConnectionString, Folder)));
        foreach (var agent in _agents)
        {
            await Eventually.TrueAsync(() => IsHealthyAsync(agent.InstanceId, "1.0"), StartTimeout, $"{agent.InstanceId} HEALTHY at 1.0",
                () => agent.Process.Output);
        }
    }

    public Task<bool> IsHealthyAsync(string instanceId, string version) =>
        FastProbedApp.IsHealthyAsync(Health, instanceId, version);

    /// <summary>A rollout of every instance to <paramref name="version"/>, one at a time, each HEALTHY for 300 ms.</summary>
    public StartRolloutRequest RolloutTo(string version) => new()
    {
        App = App,
        Target = new RolloutTarget { Version = version },
        Strategy = new RolloutStrategy
        {
            MaxParallel = 1,
            MinHealthyTime = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)),
            HealthyDeadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)),
            ProgressDeadline = Duration.FromTimeSpan(TimeSpan.FromSeconds(120)),
            AutoRevert = false,
        },
        Initiator = "system-test",
        RequestId = $"rollout-{version}",
    };

    public async Task<Rollout> WaitForRolloutAsync(string rolloutId, RolloutState state, TimeSpan timeout)
    {
        Rollout? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await PollRolloutAsync(rolloutId) ?? last;
            return last?.State == state;
        }, timeout, $"rollout {state}", () => $"{last}\n{Logs()}");
        return last!;
    }

    /// <summary>
    /// One poll of the rollout through nginx; null when the call was cut off by a replica being killed while answering
    /// (nginx cannot move a started call). The waits poll again; calls that must succeed are counted by ClientLoop.
    /// </summary>
    private async Task<Rollout?> PollRolloutAsync(string rolloutId)
    {
        try
        {
            return await Rollouts.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId });
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Internal or StatusCode.Unavailable)
        {
            return null;
        }
    }

    /// <summary>Waits until step <paramref name="step"/> of the rollout reached <paramref name="phase"/> (or beyond).</summary>
    public Task WaitForStepAsync(string rolloutId, int step, RolloutStepPhase phase) => Eventually.TrueAsync(async () =>
    {
        var rollout = await PollRolloutAsync(rolloutId);
        return rollout is not null && rollout.Steps[step].Phase >= phase;
    }, TimeSpan.FromSeconds(120), $"step {step} {phase}", Logs);

    /// <summary>The current holder of a lease of <paramref name="service"/> (empty when none holds it).</summary>
    public async Task<string> LeaseHolderAsync(string service, string lease) =>
        await Database.ScalarAsync<string>(
            $"SELECT \"Holder\" FROM {service}_leases WHERE \"Name\" = '{lease}' AND \"ExpiresAtMs\" > (extract(epoch from now()) * 1000)::bigint") ?? "";

    /// <summary>Revisions of the events stored for the suite's app in <paramref name="service"/>'s log after <paramref name="after"/>.</summary>
    public async Task<List<long>> StoredRevisionsAsync(string service, long after)
    {
        var list = await Database.ScalarAsync<string>(
            $"SELECT string_agg(\"Revision\"::text, ',' ORDER BY \"Revision\") FROM {service}_events WHERE \"Stream\" = '{App}' AND \"Revision\" > {after}");
        return string.IsNullOrEmpty(list) ? [] : list.Split(',').Select(long.Parse).ToList();
    }

    /// <summary>With CP_TEST_LOG_DIR set, every process's whole output is saved there (for a failure's post-mortem).</summary>
    private async Task KeepLogsAsync()
    {
        if (System.Environment.GetEnvironmentVariable("CP_TEST_LOG_DIR") is not { Length: > 0 } root)
        {
            return;
        }
        var folder = Directory.CreateDirectory(Path.Combine(root, $"{App}-{DateTime.UtcNow:HHmmss}")).FullName;
        foreach (var (service, replicas) in _replicas)
        {
            for (var i = 0; i < replicas.Count; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"{service}-{i + 1}.log"), replicas[i].Output);
            }
        }
        foreach (var agent in _agents)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"agent-{agent.InstanceId}.log"), agent.Process.Output);
        }
    }

    /// <summary>The output of every process, for failure messages.</summary>
    public string Logs() => string.Join("\n", _replicas.Values.SelectMany(r => r)
        .Select(r => $"--- {r.GrpcUrl} ---\n{string.Join('\n', r.Output.Split('\n').TakeLast(40))}"));

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await KeepLogsAsync();
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        foreach (var replica in _replicas.Values.SelectMany(r => r))
        {
            await replica.DisposeAsync();
        }
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }
        await Vhost.DisposeAsync();
        await Database.DisposeAsync();
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
