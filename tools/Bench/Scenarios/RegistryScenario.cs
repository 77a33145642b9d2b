using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Bench.Scenarios.Compare;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
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
        var cpuPerHeartbeat = new Dictionary<bool, List<double>>();
        foreach (var telemetry in TelemetrySwitch.Modes(options))
        {
            var (perSecond, cpu) = await RunOnceAsync(instances, clients, window, postgres, telemetry, cancellationToken);
            TelemetrySwitch.Add(heartbeats, telemetry, perSecond);
            TelemetrySwitch.Add(cpuPerHeartbeat, telemetry, cpu);
        }
        TelemetrySwitch.ReportCost("heartbeats/s", heartbeats, higherIsBetter: true);
        TelemetrySwitch.ReportCost("CPU per heartbeat", cpuPerHeartbeat, higherIsBetter: false);
        return 0;
    }

    /// <returns>Heartbeats per second, and the Registry's CPU seconds per 1,000 heartbeats.</returns>
    private static async Task<(double PerSecond, double CpuPerThousand)> RunOnceAsync(int instances, int clients, TimeSpan window, string postgres, bool telemetry, CancellationToken cancellationToken)
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

        var measured = await HeartbeatsAsync(host.GrpcUrl, leases, clients, window, cancellationToken);
        await ListInstancesAsync(host.GrpcUrl, instances, cancellationToken);
        return measured;
    }

    private static async Task<(double PerSecond, double CpuPerThousand)> HeartbeatsAsync(string url, string[] leases, int clients, TimeSpan window, CancellationToken cancellationToken)
    {
        // The clients stand in for Agents: they run in a process of their own, as Agents do, so the CPU measured here
        // is the Registry's alone, and the process-wide telemetry listeners do not see the clients' calls.
        var leaseFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(leaseFile, leases.Select((lease, i) => $"i-{i} {lease}"), cancellationToken);
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            // "RESULT count seconds p50 p99"
            var result = await BenchChild.RunAsync("heartbeat-clients", ["--url", url, "--leases", leaseFile,
                "--clients", clients.ToString(CultureInfo.InvariantCulture), "--seconds", window.TotalSeconds.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            var (count, seconds, p50, p99) = (result[0], result[1], result[2], result[3]);
            var perSecond = count / seconds;
            var cpuPerThousand = cpu * 1000 / Math.Max(1, count);
            Console.WriteLine($"heartbeats: {perSecond:F0}/s with {clients} concurrent clients in another process, " +
                $"p50 {p50:F2} ms, p99 {p99:F2} ms; Registry CPU {cpuPerThousand:F3} s per 1,000 heartbeats");
            return (perSecond, cpuPerThousand);
        }
        finally
        {
            File.Delete(leaseFile);
        }
    }

    /// <summary>ListInstances of the whole app from a client process of its own, as an operator's tool calls it.</summary>
    private static async Task ListInstancesAsync(string url, int instances, CancellationToken cancellationToken)
    {
        var listed = Math.Min(instances, 10_000);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        // "RESULT p50 p99 max calls"
        var result = await BenchChild.RunAsync("list-client", ["--url", url, "--app", "bench", "--expect", listed.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        self.Refresh();
        // Over the warm-up calls too: the CPU of the Registry's whole part, per call.
        var cpuPerCall = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / (result[3] + ListClientScenario.WarmUpCalls);
        Console.WriteLine($"ListInstances of {listed} instances from another process: p50 {result[0]:F1} ms, p99 {result[1]:F1} ms, max {result[2]:F1} ms " +
            $"({result[3]} calls after a warm-up); Registry CPU {cpuPerCall:F1} ms per call");
    }
}
