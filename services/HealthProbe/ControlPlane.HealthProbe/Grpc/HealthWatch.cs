using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Data;
using ControlPlane.HealthProbe.State;
using ControlPlane.ServiceDefaults.EventLog;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.HealthProbe.Grpc;

/// <summary>
/// WatchHealth: a snapshot (from revision 0) or the log after the client's revision, then every stored change as it
/// commits (the shared <see cref="WatchLoop"/>), merged with live probes when asked for. The two loops take turns on
/// the stream, since a gRPC stream takes one write at a time.
/// </summary>
public sealed class HealthWatch(
    HealthQueries queries, ProbeFeed probes, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ChangeNotifier<HealthProbeDbContext> changes)
{
    public async Task RunAsync(WatchHealthRequest request, IServerStreamWriter<HealthEvent> stream, CancellationToken callCancelled)
    {
        using var watch = WatchLoop.Until(callCancelled, lifetime);
        var cancellationToken = watch.Token;
        using var turns = new SemaphoreSlim(1, 1);
        async Task WriteAsync(HealthEvent e)
        {
            await turns.WaitAsync(cancellationToken);
            try
            {
                await stream.WriteAsync(e, cancellationToken);
            }
            finally
            {
                turns.Release();
            }
        }

        var sent = await StartAsync(request, WriteAsync, cancellationToken);
        using var feed = request.IncludeProbes ? probes.Subscribe(request.App, request.InstanceId) : null;
        var live = feed is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await foreach (var sample in feed.Samples.ReadAllAsync(cancellationToken))
            {
                await WriteAsync(new HealthEvent
                {
                    Type = HealthEventType.Probed, Revision = Interlocked.Read(ref sent), Probe = sample, OccurredAt = sample.CheckedAt,
                });
            }
        }, CancellationToken.None);
        try
        {
            await WatchLoop.RunAsync(
                sent,
                async (after, limit, ct) =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<HealthProbeDbContext>();
                    return await EventLogReader.ReadAfterAsync(db, after, request.App, limit, ct);
                },
                () => changes.NextChange,
                EventLogReader.InStream(request.App),
                async record =>
                {
                    if (request.InstanceId.Length == 0 || record.Subject == request.InstanceId)
                    {
                        await WriteAsync(HealthEvent.Parser.ParseFrom(record.Payload));
                    }
                    Interlocked.Exchange(ref sent, record.Revision);
                },
                cancellationToken);
        }
        finally
        {
            await watch.CancelAsync();
            await live.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Checks the revision and sends the snapshot; returns the revision to follow the log from.</summary>
    private async Task<long> StartAsync(WatchHealthRequest request, Func<HealthEvent, Task> write, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HealthProbeDbContext>();
        if (request.FromRevision > 0)
        {
            if (await EventLogReader.OldestRetainedAsync(db, cancellationToken) is var oldest && oldest > request.FromRevision + 1)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange,
                    $"revision {request.FromRevision} is older than the retained log (oldest {oldest}): list health again and watch from its revision"));
            }
            return request.FromRevision;
        }
        // Snapshot first, then the changes after the head read before it (a change may arrive twice, never missed).
        var head = await EventLogReader.HeadAsync(db, cancellationToken);
        foreach (var health in queries.Snapshot(request.App, request.InstanceId))
        {
            await write(new HealthEvent
            {
                Revision = health.Revision,
                Type = HealthEventType.Snapshot,
                Health = health,
                PreviousState = health.State,
                OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow),
            });
        }
        return head;
    }
}
