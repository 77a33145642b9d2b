using System.Diagnostics;
using System.Globalization;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Net.Client;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// The Agents' side of the <c>registry</c> scenario, which runs it as a process of its own: heartbeats from many
/// concurrent clients for a while, then one line "RESULT count seconds p50 p99 cpu-seconds". Kept out of the Registry's process
/// so that neither the clients' CPU nor the process-wide telemetry listeners on their calls count as the Registry's.
/// </summary>
public sealed class HeartbeatClientsScenario : IBenchScenario
{
    public string Name => "heartbeat-clients";

    public string Description => "(run by `registry`) --url URL --leases FILE --clients 32 --seconds 10";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var url = options.Get("url", "");
        var leases = (await File.ReadAllLinesAsync(options.Get("leases", ""), cancellationToken)).Select(l => l.Split(' ')).ToArray();
        var clients = options.Int("clients", 32);
        var window = options.Seconds("seconds", 10);
        var channels = Enumerable.Range(0, 4).Select(_ => TestCredentials.Channel(url)).ToList();
        var latencies = new List<double>[clients];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var client = new RegistryClient(channels[c % channels.Count]);
            var mine = latencies[c] = [];
            for (var i = c; stop.Elapsed < window; i = (i + clients) % leases.Length)
            {
                var started = Stopwatch.GetTimestamp();
                await client.HeartbeatAsync(new HeartbeatRequest { InstanceId = leases[i][0], LeaseId = leases[i][1] }, cancellationToken: cancellationToken);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = stop.Elapsed;
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {all.Count} {elapsed.TotalSeconds} {Percentiles.Of(all, 0.5)} {Percentiles.Of(all, 0.99)} {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds}"));
        channels.ForEach(c => c.Dispose());
        return 0;
    }
}
