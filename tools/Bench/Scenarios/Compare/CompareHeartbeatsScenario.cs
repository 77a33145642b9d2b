using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Bench.Etcd;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// DESIGN §12 "Registry heartbeats/s at least etcd 3.4's lease keep-alives/s", side by side in one run. Ours: the
/// Registry as a real process (ControlPlane.Registry.Host) on PostgreSQL, N instances registered, heartbeats from
/// <c>heartbeat-clients</c> in another process, as the <c>registry</c> scenario measures them. The peer: a one-member
/// etcd on loopback, N leases granted, keep-alives from <c>etcd-keepalive-clients</c> with the same clients and
/// channels. Both servers stay up for the whole run and are driven in turn, ours then etcd's, round after round.
/// </summary>
public sealed class CompareHeartbeatsScenario : IBenchScenario
{
    public string Name => "compare-heartbeats";

    public string Description => "Registry heartbeats/s vs etcd 3.4 lease keep-alives/s (goal >= 1.0x): --instances 2000 --clients 32 --seconds 10 --rounds 3 [--postgres ADMIN-CONN] [--telemetry on] [--ha [--rabbitmq URI]]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var instances = options.Int("instances", 2000);
        var clients = options.Int("clients", 32);
        var window = options.Seconds("seconds", 10);
        var rounds = Math.Max(1, options.Int("rounds", 3));
        await using var etcd = await EtcdServer.StartAsync(cancellationToken);
        await using var database = await ScratchDatabase.CreateAsync(options.Get("postgres", BackingServices.Postgres), cancellationToken);
        await using var registry = await StartRegistryAsync(database.ConnectionString, options);
        Console.WriteLine($"compare-heartbeats: {instances} instances/leases, {clients} concurrent clients, {window.TotalSeconds:0} s windows, " +
            $"{rounds} rounds, {Environment.ProcessorCount} cores; Registry pid {registry.Id} on PostgreSQL" +
            $"{(options.Has("ha") ? " (HA, RabbitMQ)" : "")}, etcd pid {etcd.Process.Id}");

        var folder = Directory.CreateTempSubdirectory("cp-bench-compare-").FullName;
        try
        {
            var ourLeases = Path.Combine(folder, "registry-leases");
            var etcdLeases = Path.Combine(folder, "etcd-leases");
            await File.WriteAllLinesAsync(ourLeases, await RegisterAsync(registry.GrpcUrl, instances, cancellationToken), cancellationToken);
            await File.WriteAllLinesAsync(etcdLeases, await GrantAsync(etcd.Url, instances, cancellationToken), cancellationToken);

            var throughput = new Comparison("heartbeats/s vs keep-alives/s", "/s", higherIsBetter: true, goal: 1.0);
            var cpu = new Comparison("server CPU-s per 1,000", "CPU-s", higherIsBetter: false, goal: null);
            // A short unmeasured run of each first: the Registry's JIT and connection pools warm, etcd's too, so round 1
            // measures the servers as the later rounds do.
            var warmup = TimeSpan.FromSeconds(Math.Min(3, window.TotalSeconds));
            await DriveAsync("heartbeat-clients", registry.GrpcUrl, ourLeases, registry.Id, clients, warmup, cancellationToken);
            await DriveAsync("etcd-keepalive-clients", etcd.Url, etcdLeases, etcd.Process.Id, clients, warmup, cancellationToken);
            for (var round = 1; round <= rounds; round++)
            {
                var ours = await DriveAsync("heartbeat-clients", registry.GrpcUrl, ourLeases, registry.Id, clients, window, cancellationToken);
                var peer = await DriveAsync("etcd-keepalive-clients", etcd.Url, etcdLeases, etcd.Process.Id, clients, window, cancellationToken);
                throughput.Add(round, ours.PerSecond, peer.PerSecond, ours.Detail, peer.Detail);
                cpu.Add(round, ours.CpuPerThousand, peer.CpuPerThousand);
            }
            Console.WriteLine();
            var met = throughput.Report("etcd");
            cpu.Report("etcd");
            Console.WriteLine($"  (server CPU only: the Registry's process, not PostgreSQL's; etcd keeps leases in memory and does not write a keep-alive to disk)");
            return met ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<ServiceProcess> StartRegistryAsync(string connectionString, BenchArgs options)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["ControlPlane__InstanceId"] = "bench-registry",
        };
        if (options.Has("ha"))
        {
            environment["ControlPlane__HighAvailability"] = "true";
            environment["ConnectionStrings__RabbitMq"] = options.Get("rabbitmq", BackingServices.RabbitMq);
        }
        // As the registry scenario's default: the OpenTelemetry SDK off; "--telemetry on" keeps it on (metrics for
        // /metrics, no exporter configured).
        if (options.Get("telemetry", "off") != "on")
        {
            environment["OTEL_SDK_DISABLED"] = "true";
        }
        var registry = ServiceProcess.Start("ControlPlane.Registry.Host", environment);
        try
        {
            await registry.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <returns>"instance-id lease-id" lines, as heartbeat-clients reads them.</returns>
    private static async Task<string[]> RegisterAsync(string url, int instances, CancellationToken cancellationToken)
    {
        using var channel = TestCredentials.Channel(url);
        var registry = new RegistryClient(channel);
        // As the registry scenario: desired values set, so drift is judged without counting majorities.
        await registry.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = "bench", DesiredVersion = "1.0", DesiredConfigHash = "c", DesiredSchemaVersion = "1", DesiredPlugins = { "p" } } },
            cancellationToken: cancellationToken);
        var clock = Stopwatch.StartNew();
        var lines = new string[instances];
        await Parallel.ForEachAsync(Enumerable.Range(0, instances), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var lease = (await registry.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = $"i-{i}",
                App = "bench",
                Address = $"http://10.0.{i / 250}.{i % 250}:3000",
                Version = "1.0",
                ConfigHash = "c",
                SchemaVersion = "1",
                Plugins = { "p" },
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
            }, cancellationToken: ct)).LeaseId;
            lines[i] = $"i-{i} {lease}";
        });
        Console.WriteLine($"  Registry: {instances} registrations in {clock.Elapsed.TotalSeconds:F1} s");
        return lines;
    }

    /// <returns>Lease ids, one a line, as etcd-keepalive-clients reads them.</returns>
    private static async Task<string[]> GrantAsync(string url, int leases, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(url);
        var lease = new Lease.LeaseClient(channel);
        var clock = Stopwatch.StartNew();
        var ids = new string[leases];
        await Parallel.ForEachAsync(Enumerable.Range(0, leases), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            // The same TTL as the instances' leases: none runs out during the run.
            var granted = await lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = 600 }, cancellationToken: ct);
            if (granted.Error.Length > 0)
            {
                throw new InvalidOperationException($"etcd LeaseGrant: {granted.Error}");
            }
            ids[i] = granted.ID.ToString(CultureInfo.InvariantCulture);
        });
        Console.WriteLine($"  etcd: {leases} lease grants in {clock.Elapsed.TotalSeconds:F1} s");
        return ids;
    }

    private static async Task<(double PerSecond, double CpuPerThousand, string Detail)> DriveAsync(
        string clientsScenario, string url, string leaseFile, int serverPid, int clients, TimeSpan window, CancellationToken cancellationToken)
    {
        var cpuBefore = ProcessCpu.Seconds(serverPid);
        // "RESULT count seconds p50 p99 client-cpu-seconds": the clients share the 2 cores with the server, so their
        // CPU is shown too (a unary call costs a client more than a message on an open stream).
        var result = await BenchChild.RunAsync(clientsScenario,
            ["--url", url, "--leases", leaseFile, "--clients", clients.ToString(CultureInfo.InvariantCulture),
             "--seconds", window.TotalSeconds.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        var cpu = ProcessCpu.Seconds(serverPid) - cpuBefore;
        var (count, seconds, p50, p99, clientCpu) = (result[0], result[1], result[2], result[3], result[4]);
        return (count / seconds, cpu * 1000 / Math.Max(1, count),
            string.Create(CultureInfo.InvariantCulture, $"p50 {p50:F2} ms, p99 {p99:F2} ms, server {cpu / seconds:F2} cores, clients {clientCpu:F1} CPU-s"));
    }
}
