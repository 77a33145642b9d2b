using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.HealthProbe.Data;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.EventLog;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.HealthProbe.State;

/// <summary>
/// Persists transitions in batches: the instance's row, a HealthEvent in the log (WatchHealth replays it)
/// and InstanceHealthChanged in the outbox, in one transaction. A failed batch is retried, never dropped.
/// Also loads the persisted state at start, before probing begins.
/// </summary>
public sealed class TransitionWriter(
    IServiceScopeFactory scopes,
    HealthMonitor monitor,
    DatabaseStatus database,
    ILogger<TransitionWriter> logger) : BackgroundService
{
    private const int BatchSize = 200;

    /// <summary>Completes once the persisted state is loaded into the monitor.</summary>
    public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.WaitUntilMigratedAsync(stoppingToken);
        await LoadAsync(stoppingToken);
        var batch = new List<HealthTransition>(BatchSize);
        var delay = TimeSpan.FromMilliseconds(200);
        while (await monitor.Transitions.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < BatchSize && monitor.Transitions.TryRead(out var transition))
            {
                batch.Add(transition);
            }
            try
            {
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
                delay = TimeSpan.FromMilliseconds(200);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                HealthProbeLog.TransitionsNotWritten(logger, batch.Count, delay, ex.GetBaseException().Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HealthProbeDbContext>();
                monitor.LoadPersisted(
                    await db.Instances.AsNoTracking().ToListAsync(cancellationToken),
                    await db.ReadySets.AsNoTracking().ToListAsync(cancellationToken));
                Loaded.TrySetResult();
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                HealthProbeLog.TransitionsNotWritten(logger, 0, TimeSpan.FromSeconds(1), ex.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task WriteAsync(List<HealthTransition> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<EventWriter<HealthProbeDbContext>>();
        var revisions = await writer.WriteAsync(async write =>
        {
            var ids = batch.Select(t => t.Snapshot.InstanceId).Distinct().ToList();
            var rows = await write.Db.Instances.Where(i => ids.Contains(i.InstanceId)).ToDictionaryAsync(i => i.InstanceId, cancellationToken);
            var readySets = new Dictionary<string, ReadySetRecord>();
            var assigned = new List<long>(batch.Count);
            foreach (var transition in batch)
            {
                var health = transition.Snapshot;
                var revision = write.Append(health.App, health.InstanceId, (int)transition.Type, rev => Event(transition, rev).ToByteArray());
                assigned.Add(revision);
                Store(write.Db, rows, transition, revision);
                if (transition.ReadyChanged || (transition.Type == HealthEventType.Removed && health.Ready))
                {
                    await TouchReadySetAsync(write.Db, readySets, health.App, revision, transition.At, cancellationToken);
                }
                write.Publish(new InstanceHealthChanged(health.InstanceId, health.App, health.State.ToString(),
                    transition.PreviousState.ToString(), health.Ready && transition.Type != HealthEventType.Removed,
                    health.Reason, health.ReportedVersion, health.ProberId, revision, new DateTimeOffset(transition.At)));
            }
            return assigned;
        }, cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            monitor.Persisted(batch[i], revisions[i]);
        }
    }

    private static HealthEvent Event(HealthTransition transition, long revision)
    {
        var health = transition.Snapshot;
        health.Revision = revision;
        if (transition.Type == HealthEventType.Removed)
        {
            health.Ready = false;
        }
        return new HealthEvent
        {
            Revision = revision,
            Type = transition.Type,
            Health = health,
            PreviousState = transition.PreviousState,
            StateChanged = transition.StateChanged,
            ReadyChanged = transition.ReadyChanged,
            VersionChanged = transition.VersionChanged,
            OccurredAt = Timestamp.FromDateTime(transition.At),
        };
    }

    private static void Store(HealthProbeDbContext db, Dictionary<string, InstanceHealthRecord> rows, HealthTransition transition, long revision)
    {
        var health = transition.Snapshot;
        rows.TryGetValue(health.InstanceId, out var row);
        if (transition.Type == HealthEventType.Removed)
        {
            if (row is not null)
            {
                db.Instances.Remove(row);
                rows.Remove(health.InstanceId);
            }
            return;
        }
        if (row is null)
        {
            row = new InstanceHealthRecord { InstanceId = health.InstanceId };
            db.Instances.Add(row);
            rows[health.InstanceId] = row;
        }
        row.App = health.App;
        row.Address = health.Address;
        row.State = (int)health.State;
        row.Reason = health.Reason.Length > 1024 ? health.Reason[..1024] : health.Reason;
        row.StateSince = health.StateSince.ToDateTime();
        row.ReportedVersion = health.ReportedVersion;
        row.Ready = health.Ready;
        row.ProberId = health.ProberId;
        row.Revision = revision;
    }

    private static async Task TouchReadySetAsync(HealthProbeDbContext db, Dictionary<string, ReadySetRecord> cache, string app,
        long revision, DateTime at, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(app, out var set))
        {
            set = await db.ReadySets.FindAsync([app], cancellationToken);
            if (set is null)
            {
                set = new ReadySetRecord { App = app };
                db.ReadySets.Add(set);
            }
            cache[app] = set;
        }
        set.Revision = revision;
        set.ChangedAt = at;
    }
}
