using System.Collections.Concurrent;
using ControlPlane.Api.V1;
using ControlPlane.Testing;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using RegistryClient = ControlPlane.Api.V1.Registry.RegistryClient;

namespace ControlPlane.Registry.Tests;

/// <summary>
/// The event log's promise under concurrency: writers committing at once through two replicas on one PostgreSQL
/// never let a watcher see revision N and then miss N-1 (a revision taken by a slower transaction that commits later).
/// </summary>
public class ReplicaWatchOrderTests
{
    private const int Writers = 12;
    private const int RoundsPerWriter = 15;

    [Fact]
    public async Task WatchersOnBothReplicasSeeEveryRevisionOnceAndInOrderWhileWritersCommitConcurrentlyThroughBoth()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var vhost = await RabbitMqVhost.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:HighAvailability"] = "true",
            ["ConnectionStrings:ControlPlane"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = vhost.ConnectionString,
        };
        await using var a = await InProcessHost.StartAsync(x => x.AddRegistry(), x => x.MapRegistry(), settings);
        await using var b = await InProcessHost.StartAsync(x => x.AddRegistry(), x => x.MapRegistry(), settings);
        RegistryClient[] replicas = [new(a.Channel), new(b.Channel)];
        await replicas[0].UpsertAppAsync("grafana");
        for (var i = 0; i < Writers; i++)
        {
            await replicas[i % 2].RegisterInstanceAsync(Fleet.Instance($"w-{i}", "grafana", ttl: TimeSpan.FromHours(1)));
        }
        var from = (await replicas[1].ListInstancesAsync(new ListInstancesRequest { App = "grafana" })).Revision;

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var watchers = replicas.Select(r => WatchAsync(r, from, stop.Token)).ToList();
        var written = new ConcurrentBag<long>();
        // Each writer owns one instance and alternates replicas; drains and re-registrations (which also recompute
        // drift) commit concurrently, so revisions are handed out to transactions racing each other.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < RoundsPerWriter; round++)
            {
                var replica = replicas[(w + round) % 2];
                if (round % 5 == 4)
                {
                    var registered = await replica.RegisterInstanceAsync(
                        Fleet.Instance($"w-{w}", "grafana", version: $"1.{round}", ttl: TimeSpan.FromHours(1)));
                    written.Add(registered.Instance.Revision);
                }
                else
                {
                    var drained = await replica.SetDrainAsync(new SetDrainRequest { InstanceId = $"w-{w}", Draining = round % 2 == 0 });
                    written.Add(drained.Revision);
                }
            }
        })));
        var head = written.Max();

        foreach (var watcher in watchers)
        {
            var seen = await watcher.UntilAsync(head, TimeSpan.FromSeconds(90));
            // Every event in this database is grafana's, so a watcher must see exactly from+1, from+2, ... head.
            Assert.Equal(Enumerable.Range(1, (int)(head - from)).Select(n => from + n), seen.Where(r => r <= head));
        }
        await stop.CancelAsync();
    }

    private static Watcher WatchAsync(RegistryClient replica, long from, CancellationToken cancellationToken)
    {
        var watcher = new Watcher();
        watcher.Running = Task.Run(async () =>
        {
            using var call = replica.WatchInstances(new WatchInstancesRequest { App = "grafana", FromRevision = from }, cancellationToken: cancellationToken);
            try
            {
                await foreach (var evt in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    watcher.Add(evt.Revision);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
            {
            }
        }, cancellationToken);
        return watcher;
    }

    private sealed class Watcher
    {
        private readonly List<long> _revisions = [];

        public Task Running { get; set; } = Task.CompletedTask;

        public void Add(long revision)
        {
            lock (_revisions)
            {
                _revisions.Add(revision);
            }
        }

        /// <summary>The revisions seen once <paramref name="head"/> arrived (or whatever arrived when time ran out).</summary>
        public async Task<List<long>> UntilAsync(long head, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !Running.IsCompleted)
            {
                lock (_revisions)
                {
                    if (_revisions.Count > 0 && _revisions[^1] >= head)
                    {
                        return [.. _revisions];
                    }
                }
                await Task.Delay(50);
            }
            lock (_revisions)
            {
                return [.. _revisions];
            }
        }
    }
}
