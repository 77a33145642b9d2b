using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12 live events: a change committed on replica A reaches a WatchInstances stream open on replica B
/// (outbox → RabbitMQ → B's own queue → B re-reads the log). Two Registry replicas on PostgreSQL and RabbitMQ;
/// SetDrain toggles on A at the target rate; latency = arrival at the watcher on B − the write's answer on A.
/// </summary>
public sealed class LiveEventsScenario : IBenchScenario
{
    public string Name => "live-events";

    public string Description => "event on replica A → watcher on replica B: --rate 1000 --seconds 10 --writers 16 [--postgres ADMIN-CONN --rabbitmq URI]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        var rate = options.Int("rate", 1000);
        var window = options.Seconds("seconds", 10);
        await using var database = await ScratchDatabase.CreateAsync(options.Get("postgres", BackingServices.Postgres), cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:HighAvailability"] = "true",
            ["ConnectionStrings:ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = options.Get("rabbitmq", BackingServices.RabbitMq),
        };
        await using var a = await InProcessHost.StartAsync(b => b.AddRegistry(), x => x.MapRegistry(), settings);
        await using var b = await InProcessHost.StartAsync(b => b.AddRegistry(), x => x.MapRegistry(), settings);
        var writer = new RegistryClient(a.Channel);
        var app = $"bench{Guid.NewGuid():N}"[..20];
        await writer.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = app } }, cancellationToken: cancellationToken);
        var writerCount = options.Int("writers", 16);
        // Each writer toggles instances of its own, so every write is a change (an event) and none races another on one row.
        const int InstancesPerWriter = 4;
        for (var i = 0; i < writerCount * InstancesPerWriter; i++)
        {
            await writer.RegisterInstanceAsync(new RegisterInstanceRequest
            {
                InstanceId = $"e-{i}", App = app, Address = "http://10.0.0.1:3000", Version = "1.0",
                LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
            }, cancellationToken: cancellationToken);
        }
        var from = (await new RegistryClient(b.Channel).ListInstancesAsync(new ListInstancesRequest { App = app }, cancellationToken: cancellationToken)).Revision;

        var written = new ConcurrentDictionary<long, long>();
        var arrived = new ConcurrentDictionary<long, long>();
        var outOfOrder = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = Task.Run(async () =>
        {
            using var call = new RegistryClient(b.Channel).WatchInstances(new WatchInstancesRequest { App = app, FromRevision = from }, cancellationToken: stop.Token);
            try
            {
                var last = from;
                await foreach (var evt in call.ResponseStream.ReadAllAsync(stop.Token))
                {
                    arrived[evt.Revision] = Stopwatch.GetTimestamp();
                    // Every event of this scratch database is this app's: a watcher must see from+1, from+2, ... with no gap.
                    outOfOrder += evt.Revision == last + 1 ? 0 : 1;
                    last = evt.Revision;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
            {
            }
        }, cancellationToken);

        var clock = Stopwatch.StartNew();
        var sent = 0L;
        var writers = Enumerable.Range(0, writerCount).Select(w => Task.Run(async () =>
        {
            for (var round = 0L; clock.Elapsed < window; round++)
            {
                var n = Interlocked.Increment(ref sent);
                var due = TimeSpan.FromSeconds((double)n / rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }
                var target = w * InstancesPerWriter + (int)(round % InstancesPerWriter);
                var draining = (round / InstancesPerWriter) % 2 == 0;
                var instance = await writer.SetDrainAsync(new SetDrainRequest { InstanceId = $"e-{target}", Draining = draining }, cancellationToken: cancellationToken);
                written.TryAdd(instance.Revision, Stopwatch.GetTimestamp());
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(writers);
        var elapsed = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        await stop.CancelAsync();
        await watching;

        var latencies = written.Where(w => arrived.ContainsKey(w.Key))
            .Select(w => Stopwatch.GetElapsedTime(w.Value, arrived[w.Key]).TotalMilliseconds).ToList();
        var missing = written.Keys.Count(k => !arrived.ContainsKey(k));
        Console.WriteLine($"live events A→B: {written.Count / elapsed.TotalSeconds:F0} events/s written (target {rate}/s), {latencies.Count} seen on B, {missing} missing, {outOfOrder} out of order; " +
            $"latency p50 {Percentiles.Of(latencies, 0.5):F1} ms, p99 {Percentiles.Of(latencies, 0.99):F1} ms, max {latencies.DefaultIfEmpty().Max():F1} ms");
        return missing == 0 && outOfOrder == 0 ? 0 : 1;
    }
}
