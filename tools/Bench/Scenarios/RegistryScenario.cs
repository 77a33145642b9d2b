using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12 Registry targets: heartbeats per second from many concurrent agents, and ListInstances of a
/// 10,000-instance fleet (p50/p99). The real Registry in this process, on SQLite by default or on PostgreSQL
/// with --postgres "admin connection string" (a database of its own is created and dropped); clients over
/// real HTTP/2 channels.
/// </summary>
public sealed class RegistryScenario : IBenchScenario
{
    public string Name => "registry";

    public string Description => "heartbeats/s and ListInstances latency: --instances 10000 --clients 64 --seconds 10 [--postgres ADMIN-CONN] [--telemetry off|on|both] [--rounds N]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var instances = options.Int("instances", 10_000);
        var clients = options.Int("clients", 64);
        var window = options.Seconds("seconds", 10);
        var postgres = options.Get("postgres", "");
        var heartbeats = new Dictionary<bool, List<double>>();
        foreach (var telemetry in TelemetrySwitch.Modes(options))
        {
            TelemetrySwitch.Add(heartbeats, telemetry, await RunOnceAsync(instances, clients, window, postgres, telemetry, cancellationToken));
        }
        TelemetrySwitch.ReportCost("heartbeats/s", heartbeats, higherIsBetter: true);
        return 0;
    }

    /// <returns>Heartbeats per second.</returns>
    private static async Task<double> RunOnceAsync(int instances, int clients, TimeSpan window, string postgres, bool telemetry, CancellationToken cancellationToken)
    {
        var (settings, receiver) = await TelemetrySwitch.SettingsAsync(telemetry);
        await using var exporter = receiver;
        await using var database = postgres.Length > 0 ? await ScratchDatabase.CreateAsync(postgres, cancellationToken) : null;
        if (database is not null)
        {
            settings["ConnectionStrings:ControlPlane"] = database.ConnectionString;
        }
        await using var host = await InProcessHost.StartAsync(b => b.AddRegistry(), a => a.MapRegistry(), settings);
        var registry = new RegistryClient(host.Channel);
        // Desired values set: drift is judged without counting majorities, as in a managed fleet.
        await registry.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "bench", DesiredVersion = "1.0", DesiredConfigHash = "c", DesiredSchemaVersion = "1", DesiredPlugins = { "p" } } },
            cancellationToken: cancellationToken);

        var registering = Stopwatch.StartNew();
        var leases = new string[instances];
        await Parallel.ForEachAsync(Enumerable.Range(0, instances), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            leases[i] = (await registry.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = $"i-{i}",
                App = "bench",
                Address = $"http://10.0.{i / 250}.{i % 250}:3000",
                Version = "1.0",
                ConfigHash = "c",
                SchemaVersion = "1",
                Plugins = { "p" },
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
            }, cancellationToken: ct)).LeaseId);
        Console.WriteLine($"{TelemetrySwitch.Label(telemetry)} registry benchmark on {(postgres.Length > 0 ? "PostgreSQL" : "SQLite")}, {Environment.ProcessorCount} cores: " +
            $"{instances} registrations in {registering.Elapsed.TotalSeconds:F1} s ({instances / registering.Elapsed.TotalSeconds:F0}/s)");

        var perSecond = await HeartbeatsAsync(host.GrpcUrl, leases, clients, window, cancellationToken);
        await ListInstancesAsync(registry, instances, cancellationToken);
        return perSecond;
    }

    private static async Task<double> HeartbeatsAsync(string url, string[] leases, int clients, TimeSpan window, CancellationToken cancellationToken)
    {
        // The clients stand in for Agents in other processes: neither their client spans nor their HTTP client metrics
        // are the Registry's telemetry cost (the host's tracer and meters listen process-wide).
        var channels = Enumerable.Range(0, 4).Select(_ => GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { MeterFactory = ControlPlane.ServiceDefaults.Telemetry.Untraced.UnobservedMeters, EnableMultipleHttp2Connections = true },
        })).ToList();
        var latencies = new List<double>[clients];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            using var agentsElsewhere = ControlPlane.ServiceDefaults.Telemetry.Untraced.Begin();
            var client = new RegistryClient(channels[c % channels.Count]);
            var mine = latencies[c] = [];
            for (var i = c; stop.Elapsed < window; i = (i + clients) % leases.Length)
            {
                var started = Stopwatch.GetTimestamp();
                await client.HeartbeatAsync(new HeartbeatRequest { InstanceId = $"i-{i}", LeaseId = leases[i] }, cancellationToken: cancellationToken);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine($"heartbeats: {all.Count / stop.Elapsed.TotalSeconds:F0}/s with {clients} concurrent clients, " +
            $"p50 {Percentiles.Of(all, 0.5):F2} ms, p99 {Percentiles.Of(all, 0.99):F2} ms");
        channels.ForEach(c => c.Dispose());
        return all.Count / stop.Elapsed.TotalSeconds;
    }

    private static async Task ListInstancesAsync(RegistryClient registry, int instances, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await registry.ListInstancesAsync(new ListInstancesRequest { App = "bench", PageSize = 10_000 }, cancellationToken: cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (page.Instances.Count != Math.Min(instances, 10_000))
            {
                throw new InvalidOperationException($"listed {page.Instances.Count} instances");
            }
        }
        Console.WriteLine($"ListInstances of {Math.Min(instances, 10_000)} instances: p50 {Percentiles.Of(latencies, 0.5):F1} ms, p99 {Percentiles.Of(latencies, 0.99):F1} ms (100 calls)");
    }
}
