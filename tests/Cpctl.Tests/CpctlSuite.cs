using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Cpctl.Tests;

/// <summary>
/// The four services in one host (as AllInOne composes them) on SQLite and a RabbitMQ vhost of its own, with an
/// artifact repository for backups and real Agent processes each supervising a real DemoApp of app "grafana".
/// Probing is fast (250 ms, rise 1, fall 2) so rollouts take seconds.
/// </summary>
public sealed class CpctlSuite : IAsyncDisposable
{
    public const string App = "grafana";

    /// <summary>A named backup target besides the suite's own database (a SQLite file in the suite's folder): the fleet's shared database.</summary>
    public const string FleetDatabase = "fleetdb";
    private readonly List<AgentProcess> _agents = [];

    private CpctlSuite(InProcessHost host, RabbitMqVhost vhost, string folder)
    {
        Host = host;
        Vhost = vhost;
        Folder = folder;
    }

    public InProcessHost Host { get; }
    public RabbitMqVhost Vhost { get; }
    public string Folder { get; }
    public string Address => Host.GrpcUrl;
    public Api.V1.Registry.RegistryClient Registry => new(Host.Channel);
    public Api.V1.HealthProbe.HealthProbeClient Health => new(Host.Channel);
    public Api.V1.Rollouts.RolloutsClient Rollouts => new(Host.Channel);
    public Api.V1.Backups.BackupsClient Backups => new(Host.Channel);

    /// <summary>Runs SQL on the fleet database, returning the first column of the first row.</summary>
    public async Task<object?> FleetSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Folder, "fleet.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public static async Task<CpctlSuite> StartAsync()
    {
        var vhost = await RabbitMqVhost.CreateAsync();
        var folder = InProcessHost.NewFolder();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = vhost.ConnectionString,
            ["Registry:HeartbeatFlushInterval"] = "00:00:00.200",
            ["Rollouts:PollInterval"] = "00:00:00.100",
            ["Backups:RepositoryPath"] = Directory.CreateDirectory(Path.Combine(folder, "backups")).FullName,
            ["Backups:SchedulerInterval"] = "00:00:00.200",
            [$"Backups:Targets:{FleetDatabase}:ConnectionString"] = $"Data Source={Path.Combine(folder, "fleet.db")}",
        };
        var host = await InProcessHost.StartAsync(
            b => b.AddRegistry().AddHealthProbe().AddRollouts().AddBackups(),
            a => a.MapRegistry().MapHealthProbe().MapRollouts().MapBackups(),
            settings, Directory.CreateDirectory(Path.Combine(folder, "host")).FullName);
        var suite = new CpctlSuite(host, vhost, folder);
        await suite.Registry.UpsertAppAsync(FastProbedApp.Upsert(App));
        return suite;
    }

    /// <summary>Starts <paramref name="count"/> Agents (gf-1...) at <paramref name="version"/> and waits until all are HEALTHY.</summary>
    public async Task AddInstancesAsync(int count, string version = "1.0", string faults = "")
    {
        var started = Enumerable.Range(_agents.Count + 1, count)
            .Select(i => AgentProcess.Start(App, $"gf-{i}", version, Host.GrpcUrl, Vhost.ConnectionString, Folder, faults))
            .ToList();
        _agents.AddRange(started);
        foreach (var agent in started)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!await IsHealthyAsync(agent.InstanceId, version))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{agent.InstanceId} not HEALTHY at {version}: {agent.Process.Output}");
                await Task.Delay(100);
            }
        }
    }

    private Task<bool> IsHealthyAsync(string instanceId, string version) =>
        FastProbedApp.IsHealthyAsync(Health, instanceId, version);

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
