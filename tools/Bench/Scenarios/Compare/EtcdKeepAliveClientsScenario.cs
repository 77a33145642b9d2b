using System.Diagnostics;
using System.Globalization;
using ControlPlane.Bench.Etcd;
using Grpc.Net.Client;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// The peer's side of <c>compare-heartbeats</c>, in a process of its own as <c>heartbeat-clients</c> is for ours:
/// the same number of concurrent clients over the same number of channels, each one keep-alive stream
/// (etcdserverpb.Lease/LeaseKeepAlive) with one request outstanding — a keep-alive is sent, its response awaited,
/// then the next lease's — as each heartbeat client has one call outstanding. Prints "RESULT count seconds p50 p99 cpu-seconds" (its own CPU, startup included).
/// </summary>
public sealed class EtcdKeepAliveClientsScenario : IBenchScenario
{
    public string Name => "etcd-keepalive-clients";

    public string Description => "(run by `compare-heartbeats`) --url URL --leases FILE --clients 32 --seconds 10";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var url = options.Get("url", "");
        var leases = (await File.ReadAllLinesAsync(options.Get("leases", ""), cancellationToken))
            .Where(l => l.Length > 0).Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var clients = options.Int("clients", 32);
        var window = options.Seconds("seconds", 10);
        // Four channels, as heartbeat-clients uses: HTTP/2 connections shared by the clients' streams alike.
        var channels = Enumerable.Range(0, 4).Select(_ => GrpcChannel.ForAddress(url)).ToList();
        var latencies = new List<double>[clients];
        var expired = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            using var stream = new Lease.LeaseClient(channels[c % channels.Count]).LeaseKeepAlive(cancellationToken: cancellationToken);
            for (var i = c; stop.Elapsed < window; i = (i + clients) % leases.Length)
            {
                var started = Stopwatch.GetTimestamp();
                await stream.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leases[i] }, cancellationToken);
                if (!await stream.ResponseStream.MoveNext(cancellationToken))
                {
                    throw new InvalidOperationException("etcd closed the keep-alive stream");
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (stream.ResponseStream.Current.TTL <= 0)
                {
                    Interlocked.Increment(ref expired);   // etcd answers a lease it no longer has with TTL -1
                }
            }
            await stream.RequestStream.CompleteAsync();
        }));
        var elapsed = stop.Elapsed;
        if (expired > 0)
        {
            await Console.Error.WriteLineAsync($"{expired} keep-alives answered for leases etcd no longer had");
            return 1;
        }
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {all.Count} {elapsed.TotalSeconds} {Percentiles.Of(all, 0.5)} {Percentiles.Of(all, 0.99)} {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds}"));
        channels.ForEach(c => c.Dispose());
        return 0;
    }
}
