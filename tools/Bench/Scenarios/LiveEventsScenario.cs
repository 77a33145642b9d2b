using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// DESIGN §12 live events: a change committed on replica A reaches a WatchInstances stream open on replica B
/// (A sends the write's InstanceEventsLive on RabbitMQ straight after commit → B's own queue → B's watchers send the
/// events on; the outbox's InstanceEventsCommitted is the path when that copy is lost). Two Registry
/// replicas, each its own process as deployed, on PostgreSQL and RabbitMQ; the writers and the watcher are this process.
/// Writers change the fleet on A at the target rate; latency = arrival at the watcher on B − the write's answer on A.
/// <list type="bullet">
/// <item>--fanout 1: each write is a SetDrain toggle, one event per write transaction.</item>
/// <item>--fanout N: each write changes an app's desired version, which moves the drift of its N instances: N events
/// in one transaction, the burst a new release makes.</item>
/// <item>--bus-lag: also how far each event's own message (DriftDetected, InstanceDrainChanged) arrives behind its write.</item>
/// </list>
/// </summary>
public sealed class LiveEventsScenario : IBenchScenario
{
    public string Name => "live-events";

    public string Description =>
        "event on replica A → watcher on replica B: --rate 1000 (events/s) --seconds 10 --warmup 60 --writers 16 --fanout 1 [--bus-lag] [--postgres ADMIN-CONN --rabbitmq URI]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchArgs(args);
        await using var database = await ScratchDatabase.CreateAsync(options.Get("postgres", BackingServices.Postgres), cancellationToken);
        var rabbitMq = options.Get("rabbitmq", BackingServices.RabbitMq);
        var replicas = await RegistryReplica.StartAsync(["bench-a", "bench-b"], database.ConnectionString, rabbitMq);
        try
        {
            return await MeasureAsync(options, replicas[0], replicas[1], rabbitMq, cancellationToken);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    private static async Task<int> MeasureAsync(BenchArgs options, RegistryReplica a, RegistryReplica b, string rabbitMq, CancellationToken cancellationToken)
    {
        var rate = options.Int("rate", 1000);
        var window = options.Seconds("seconds", 10);
        // A fresh process spends its first tens of seconds compiling (tiered JIT): writes then are not measured. At this
        // rate on 2 cores the JIT still took 0.85 s of CPU a second 23-31 s in, and 0.02-0.18 s a second 63-71 s in.
        var warmup = options.Seconds("warmup", 60);
        var writerCount = options.Int("writers", 16);
        var fanout = options.Int("fanout", 1);
        // Off by default: its consumer takes every event message in this (the clients') process.
        var measureBus = options.Has("bus-lag");
        var writer = new RegistryClient(a.Channel);
        var fleet = await Fleet.CreateAsync(writer, writerCount, fanout, cancellationToken);
        var from = (await new RegistryClient(b.Channel).ListInstancesAsync(new ListInstancesRequest(), cancellationToken: cancellationToken)).Revision;

        // Sized for the window up front and filled only in it: the bench is the instrument, and growing (or carrying the
        // warm-up's) tables made its own collections pause it for 16-19 ms, counted as latency.
        var expected = (int)(rate * window.TotalSeconds * 1.5);
        // A write's events share its time (OccurredAt = the app's UpdatedAt, or the event's own revision for a drain):
        // the key a watcher's event is matched to the write's answer by.
        var answered = new ConcurrentDictionary<string, long>(writerCount, expected / fanout);
        var arrived = new ConcurrentDictionary<long, (string Key, long At)>(1, expected);
        var clock = Stopwatch.StartNew();
        var gaps = 0;
        var last = from;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = Task.Run(async () =>
        {
            using var call = new RegistryClient(b.Channel).WatchInstances(new WatchInstancesRequest { FromRevision = from }, cancellationToken: stop.Token);
            try
            {
                await foreach (var evt in call.ResponseStream.ReadAllAsync(stop.Token))
                {
                    if (clock.Elapsed >= warmup)
                    {
                        arrived[evt.Revision] = (fleet.KeyOf(evt), Stopwatch.GetTimestamp());
                    }
                    // Every event of this scratch database is the bench's: a watcher must see from+1, from+2, ... with no gap.
                    gaps += evt.Revision == last + 1 ? 0 : 1;
                    last = evt.Revision;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
            {
            }
        }, cancellationToken);

        await using var bus = measureBus
            ? await BusLagMeter.StartAsync(rabbitMq, "ControlPlane.Contracts:DriftDetected", "ControlPlane.Contracts:InstanceDrainChanged")
            : null;
        var measuredFrom = DateTimeOffset.UtcNow + warmup;
        var gcAtStart = Task.Run(async () =>
        {
            await Task.Delay(warmup, cancellationToken);
            return (A: await a.GcAsync(), B: await b.GcAsync(), Clients: GcTotals.OfThisProcess());
        }, cancellationToken);
        // Each writer keeps its share of the rate, evenly spread between the others; one that fell behind (the warm-up is
        // slow) does not burst to catch up.
        var interval = TimeSpan.FromSeconds((double)writerCount * fanout / rate);
        var writers = Enumerable.Range(0, writerCount).Select(w => Task.Run(async () =>
        {
            var due = interval * w / writerCount;
            for (var round = 0L; clock.Elapsed < warmup + window; round++, due += interval)
            {
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }
                else if (clock.Elapsed - due > interval)
                {
                    // Skips the rounds it missed but keeps its place between the other writers: restarting from "now"
                    // left writers that fell behind together writing together, 5-6 writes in 100 ms, then none.
                    due += interval * Math.Floor((clock.Elapsed - due) / interval);
                }
                var measured = clock.Elapsed >= warmup;
                var key = await fleet.WriteAsync(w, round, cancellationToken);
                if (measured)
                {
                    answered.TryAdd(key, Stopwatch.GetTimestamp());
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(writers);
        var elapsed = clock.Elapsed - warmup;
        var gcAtEnd = (A: await a.GcAsync(), B: await b.GcAsync(), Clients: GcTotals.OfThisProcess());
        var measuredGc = await gcAtStart;
        Console.WriteLine($"GC while measured: A (writes) {GcTotals.Between(measuredGc.A, gcAtEnd.A)}; B (watch) {GcTotals.Between(measuredGc.B, gcAtEnd.B)}; " +
            $"bench (writers, watcher) {GcTotals.Between(measuredGc.Clients, gcAtEnd.Clients)}");
        var head = (await writer.ListInstancesAsync(new ListInstancesRequest(), cancellationToken: cancellationToken)).Revision;
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        await stop.CancelAsync();
        await watching;

        var latencies = arrived.Values.Where(e => answered.ContainsKey(e.Key))
            .Select(e => Stopwatch.GetElapsedTime(answered[e.Key], e.At).TotalMilliseconds).ToList();
        // When in the window the slowest writes were answered: a tail that recurs on a period points at a periodic job.
        var windowStart = answered.Values.DefaultIfEmpty().Min();
        var slowest = arrived.Values.Where(e => answered.ContainsKey(e.Key)).GroupBy(e => e.Key)
            .Select(g => (At: Stopwatch.GetElapsedTime(windowStart, answered[g.Key]).TotalSeconds,
                Ms: g.Max(e => Stopwatch.GetElapsedTime(answered[g.Key], e.At).TotalMilliseconds)))
            .OrderByDescending(w => w.Ms).Take(6);
        Console.WriteLine("slowest writes (s into the window: ms): " + string.Join(", ", slowest.Select(w => $"{w.At:F2}: {w.Ms:F1}")));
        var missing = head - last;
        Console.WriteLine($"live events A→B, {fanout} event(s) per write: {latencies.Count / elapsed.TotalSeconds:F0} events/s " +
            $"({answered.Count / elapsed.TotalSeconds:F0} writes/s; target {rate} events/s), {latencies.Count} seen on B, {missing} missing, {gaps} gaps; " +
            $"latency p50 {Percentiles.Of(latencies, 0.5):F1} ms, p99 {Percentiles.Of(latencies, 0.99):F1} ms, max {latencies.DefaultIfEmpty().Max():F1} ms");
        if (bus is not null)
        {
            // Every measured event is announced by one message; those still queued are counted, not hidden.
            var lags = bus.LagsSince(measuredFrom);
            Console.WriteLine($"bus behind the writes: {lags.Count} messages arrived, {Math.Max(0, latencies.Count - lags.Count)} still queued after 3 s; " +
                $"lag (write time → message) p50 {Percentiles.Of(lags, 0.5):F1} ms, p99 {Percentiles.Of(lags, 0.99):F1} ms, max {lags.DefaultIfEmpty().Max():F1} ms");
        }
        return missing == 0 && gaps == 0 ? 0 : 1;
    }

    /// <summary>The apps and instances the writers change, each writer its own, so no two writes race on one row.</summary>
    private sealed class Fleet(RegistryClient registry, string prefix, int fanout)
    {
        // With one event per write each writer toggles a few instances of its own, so every write is a change.
        private const int DrainTargetsPerWriter = 4;

        public static async Task<Fleet> CreateAsync(RegistryClient registry, int writers, int fanout, CancellationToken cancellationToken)
        {
            var fleet = new Fleet(registry, $"b{Guid.NewGuid():N}"[..12], fanout);
            var instancesPerApp = fanout == 1 ? DrainTargetsPerWriter : fanout;
            for (var w = 0; w < writers; w++)
            {
                await fleet.UpsertAppAsync(w, "1.0", cancellationToken);
                for (var i = 0; i < instancesPerApp; i++)
                {
                    await registry.RegisterInstanceAsync(new RegisterInstanceRequest
                    {
                        InstanceId = $"{fleet.AppOf(w)}-{i}", App = fleet.AppOf(w), Address = "http://10.0.0.1:3000", Version = "1.0",
                        LeaseTtl = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
                    }, cancellationToken: cancellationToken);
                }
            }
            return fleet;
        }

        /// <summary>One write of writer <paramref name="w"/>; returns the key its events are matched by.</summary>
        public async Task<string> WriteAsync(int w, long round, CancellationToken cancellationToken)
        {
            if (fanout > 1)
            {
                // Desired 2.0 puts every instance (at 1.0) in drift, 1.0 takes every one out of it.
                var app = await UpsertAppAsync(w, round % 2 == 0 ? "2.0" : "1.0", cancellationToken);
                return $"{app.Name}@{app.UpdatedAt.ToDateTime().Ticks}";
            }
            var instance = await registry.SetDrainAsync(new SetDrainRequest
            {
                InstanceId = $"{AppOf(w)}-{round % DrainTargetsPerWriter}",
                Draining = round / DrainTargetsPerWriter % 2 == 0,
            }, cancellationToken: cancellationToken);
            return instance.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public string KeyOf(InstanceEvent evt) => fanout > 1
            ? $"{evt.Instance.App}@{evt.OccurredAt.ToDateTime().Ticks}"
            : evt.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private string AppOf(int w) => $"{prefix}-{w}";

        private Task<App> UpsertAppAsync(int w, string desiredVersion, CancellationToken cancellationToken) =>
            registry.UpsertAppAsync(new UpsertAppRequest { App = new App { Name = AppOf(w), DesiredVersion = desiredVersion } },
                cancellationToken: cancellationToken).ResponseAsync;
    }
}
