using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
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
        await ListInstancesAsync(registry, instances, cancellationToken);
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
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(RegistryScenario).Assembly.Location);   // run as `dotnet Bench.dll`, not by its apphost
            }
            foreach (var arg in (string[])["heartbeat-clients", "--url", url, "--leases", leaseFile,
                "--clients", clients.ToString(CultureInfo.InvariantCulture), "--seconds", window.TotalSeconds.ToString(CultureInfo.InvariantCulture)])
            {
                start.ArgumentList.Add(arg);
            }
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            using var agents = Process.Start(start)!;
            var output = await agents.StandardOutput.ReadToEndAsync(cancellationToken);
            await agents.WaitForExitAsync(cancellationToken);
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            // "RESULT count seconds p50 p99"
            var result = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))?.Split(' ')[1..]
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
                ?? throw new InvalidOperationException($"the heartbeat clients failed (exit {agents.ExitCode}): {output}");
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
