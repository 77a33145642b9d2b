using ControlPlane.Api.V1;
using ControlPlane.Contracts;
using ControlPlane.Rollouts.Data;
using ControlPlane.ServiceDefaults.EventLog;
using ControlPlane.ServiceDefaults.Leases;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Rollouts.Domain;

/// <summary>
/// Loads and saves rollouts. A save writes the rollout and the events announcing what changed since it was loaded
/// (watch log + bus, one transaction): callers change the message, the store works out the events.
/// </summary>
public sealed class RolloutStore(EventWriter<RolloutsDbContext> writer)
{
    public RolloutsDbContext Db => writer.Db;

    public async Task<RolloutDocument?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var record = await Db.Rollouts.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return record is null ? null : new RolloutDocument(record);
    }

    /// <summary>Saves <paramref name="document"/>; <paramref name="extra"/> runs in the same transaction (e.g. an idempotency record).</summary>
    /// <exception cref="DbUpdateConcurrencyException">Someone else changed the rollout since it was loaded.</exception>
    public async Task SaveAsync(RolloutDocument document, CancellationToken cancellationToken, Lease? fence = null,
        Action<EventWrite<RolloutsDbContext>>? extra = null)
    {
        await writer.WriteAsync(async write =>
        {
            var rollout = document.Rollout;
            RolloutStates.Count(rollout);
            rollout.UpdatedAt = Timestamp.FromDateTime(write.Now);
            if (!RolloutStates.IsActive(rollout.State))
            {
                rollout.FinishedAt ??= Timestamp.FromDateTime(write.Now);
            }
            Emit(write, document);
            document.WriteBack();
            if (document.Before is null)
            {
                write.Db.Rollouts.Add(document.Record);
            }
            extra?.Invoke(write);
            await Task.CompletedTask;
            return 0;
        }, cancellationToken, fence);
        RolloutMetrics.Record(document.Before, document.Rollout);
        document.Saved();
    }

    private static void Emit(EventWrite<RolloutsDbContext> write, RolloutDocument document)
    {
        var after = document.Rollout;
        var before = document.Before;
        var now = write.NowOffset;
        if (before is null)
        {
            Append(write, after, RolloutEventType.Created, $"{after.Id}: created for {after.Steps.Count} instances");
            return;
        }
        for (var i = 0; i < after.Steps.Count; i++)
        {
            var step = after.Steps[i];
            var old = before.Steps[i];
            if (step.Phase != old.Phase || step.Attempts != old.Attempts || step.Error != old.Error)
            {
                var message = $"{step.InstanceId}: {RolloutStates.Name(old.Phase)} -> {RolloutStates.Name(step.Phase)}";
                var revision = Append(write, after, RolloutEventType.StepChanged, message, e =>
                {
                    e.Step = step.Clone();
                    e.PreviousPhase = old.Phase;
                });
                write.Publish(new RolloutStepChanged(after.Id, after.App, step.InstanceId, RolloutStates.Name(step.Phase),
                    RolloutStates.Name(old.Phase), step.Error, revision, now));
            }
        }
        if (!Equals(after.Canary, before.Canary))
        {
            Append(write, after, RolloutEventType.CanaryChanged, $"{after.Id}: canary {after.Canary}");
        }
        if (after.BackupId != before.BackupId)
        {
            Append(write, after, RolloutEventType.BackupChanged, $"{after.Id}: backup {after.BackupId}");
        }
        if (after.State != before.State || after.Reverting != before.Reverting || after.Reason != before.Reason)
        {
            var message = $"{after.Id}: {RolloutStates.Name(before.State)} -> {RolloutStates.Name(after.State)}" +
                (after.Reverting ? " (reverting)" : "") + (after.Reason.Length > 0 ? $": {after.Reason}" : "");
            var revision = Append(write, after, RolloutEventType.StateChanged, message, e => e.PreviousState = before.State);
            write.Publish(new RolloutStateChanged(after.Id, after.App, RolloutStates.Name(after.State), RolloutStates.Name(before.State),
                after.Reverting, after.Reason, revision, now));
        }
    }

    private static long Append(EventWrite<RolloutsDbContext> write, Rollout rollout, RolloutEventType type, string message,
        Action<RolloutEvent>? fill = null) =>
        write.Append(rollout.App, rollout.Id, (int)type, revision =>
        {
            rollout.Revision = revision;
            var evt = new RolloutEvent
            {
                Revision = revision,
                Type = type,
                Rollout = RolloutMapping.ForWatch(rollout),
                OccurredAt = Timestamp.FromDateTime(write.Now),
                Message = message,
            };
            fill?.Invoke(evt);
            return evt.ToByteArray();
        });
}
