using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Domain;
using ControlPlane.ServiceDefaults.Leases;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Rollouts.Driving;

/// <summary>
/// One pass over one rollout: the state machine of DESIGN §6. It takes the backup first (backup_before), moves
/// in-flight steps on, fails or reverts on errors and deadlines, pauses for canary promotion, starts the next batch
/// and ends the rollout. Every change is saved (fenced by the driver's lease) before the action that follows it.
/// </summary>
public sealed class RolloutAdvancer(RolloutStore store, StepRunner steps, BackupGate backups, FleetClients fleet, RolloutSpans spans, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task AdvanceAsync(string id, Lease lease, CancellationToken cancellationToken)
    {
        var document = await store.FindAsync(id, cancellationToken);
        if (document is null)
        {
            return;
        }
        // The pass runs under the rollout's span: its calls, sends and saves join the rollout's trace.
        Activity.Current = spans.Rollout(document) ?? Activity.Current;
        RolloutsTelemetry.ReportDriving(id, document.Rollout.App, document.IsActive);
        await AdvanceTracedAsync(document, lease, cancellationToken);
        // Only after a pass that saved what it changed: a pass that failed (e.g. lost its lease) leaves its spans
        // open for the next pass, which starts again from the stored state.
        spans.Sweep(document);
        if (document.IsActive)
        {
            TracePaused(document);
        }
        else if (!document.Work.CleanupPending)
        {
            spans.EndRollout(document.Rollout);
            RolloutsTelemetry.ReportDriving(id, document.Rollout.App, active: false);
        }
    }

    /// <summary>A span covers each paused stretch (an operator's pause, or a canary awaiting promotion).</summary>
    private void TracePaused(RolloutDocument document)
    {
        if (document.Rollout.State == RolloutState.Paused)
        {
            spans.Phase(document, "paused")?.SetTag("controlplane.rollout.reason", document.Rollout.Reason);
        }
        else
        {
            spans.EndPhase(document.Rollout.Id, "paused");
        }
    }

    private async Task AdvanceTracedAsync(RolloutDocument document, Lease lease, CancellationToken cancellationToken)
    {
        var rollout = document.Rollout;
        Task Save() => store.SaveAsync(document, cancellationToken, lease);

        if (!document.IsActive)
        {
            await CleanUpAsync(document, cancellationToken);
            await Save();
            return;
        }
        if (rollout.State == RolloutState.Pending)
        {
            rollout.State = RolloutState.Running;
            rollout.StartedAt = Timestamp.FromDateTime(Now);
            rollout.Reason = "";
            document.Work.LastProgressAt = Now;
            await Save();
        }
        if (rollout.Strategy.BackupBefore && rollout.BackupId.Length == 0 && !rollout.Reverting)
        {
            var (backupId, failure) = await TakeBackupAsync(document, cancellationToken);
            if (failure is not null)
            {
                rollout.State = RolloutState.Failed;
                rollout.Reason = $"backup_before failed, no instance was touched: {failure}";
                await Save();
                spans.EndPhase(rollout.Id, "backup_before", failure);
                return;
            }
            if (backupId is null)
            {
                rollout.Reason = "taking and verifying a backup before touching any instance";
                await Save();
                return;
            }
            rollout.BackupId = backupId;
            rollout.Reason = "";
            await Save();
            spans.EndPhase(rollout.Id, "backup_before");
        }
        if (rollout.Reverting)
        {
            await RevertAsync(document, Save, cancellationToken);
        }
        else
        {
            await ForwardAsync(document, Save, cancellationToken);
        }
    }

    /// <summary>backup_before under a span of its own, from the first request to the verified backup (or failure), ended once that is saved.</summary>
    private async Task<(string? BackupId, string? Failure)> TakeBackupAsync(RolloutDocument document, CancellationToken cancellationToken)
    {
        var span = spans.Phase(document, "backup_before");
        Activity.Current = span ?? Activity.Current;
        var (backupId, failure) = await backups.TakeAsync(document.Rollout, cancellationToken);
        span?.SetTag("controlplane.backup.id", backupId);
        return (backupId, failure);
    }

    private async Task ForwardAsync(RolloutDocument document, Func<Task> save, CancellationToken cancellationToken)
    {
        var rollout = document.Rollout;
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < rollout.Steps.Count; i++)
            {
                if (RolloutStates.InFlight(rollout.Steps[i].Phase))
                {
                    await steps.AdvanceAsync(document, i, save, cancellationToken);
                }
            }
            if (rollout.Steps.FirstOrDefault(s => s.Phase == RolloutStepPhase.Failed) is { } failed)
            {
                await FailAsync(document, failed.Error, save, cancellationToken);
                return;
            }
            var progressDeadline = rollout.Strategy.ProgressDeadline.ToTimeSpan();
            if (rollout.State == RolloutState.Running && Now - document.Work.LastProgressAt > progressDeadline)
            {
                await FailAsync(document, $"no instance completed within progress_deadline {progressDeadline}", save, cancellationToken);
                return;
            }
            if (await CanaryGateAsync(document, save))
            {
                return;
            }
            if (rollout.Steps.All(s => s.Phase is RolloutStepPhase.Done or RolloutStepPhase.Skipped))
            {
                rollout.State = RolloutState.Succeeded;
                rollout.Reason = "";
                await save();
                return;
            }
            if (rollout.State != RolloutState.Running || !StartNextBatch(document))
            {
                return;
            }
            await save();
        }
    }

    /// <summary>Starts the pending steps of the lowest unfinished batch, once nothing of an earlier batch is in flight.</summary>
    private bool StartNextBatch(RolloutDocument document)
    {
        var rollout = document.Rollout;
        var canaryOpen = rollout.Canary is { PromotedAt: null };
        var open = rollout.Steps.Where(s => s.Phase == RolloutStepPhase.Pending || RolloutStates.InFlight(s.Phase)).ToList();
        if (open.Count == 0)
        {
            return false;
        }
        var batch = open.Min(s => s.Batch);
        var started = false;
        for (var i = 0; i < rollout.Steps.Count; i++)
        {
            var step = rollout.Steps[i];
            if (step.Phase == RolloutStepPhase.Pending && step.Batch == batch && (!canaryOpen || step.Canary))
            {
                steps.Begin(step, document.Work.Steps[i], revert: false);
                started = true;
            }
        }
        return started;
    }

    /// <summary>True when the rollout waits for canary promotion (PAUSED), after auto-promoting when it is time.</summary>
    private async Task<bool> CanaryGateAsync(RolloutDocument document, Func<Task> save)
    {
        var rollout = document.Rollout;
        if (rollout.Canary is not { PromotedAt: null } canary)
        {
            return false;
        }
        if (rollout.Steps.Any(s => s.Canary && !RolloutStates.Finished(s.Phase)))
        {
            return false;
        }
        if (!canary.AwaitingPromotion)
        {
            canary.AwaitingPromotion = true;
            rollout.State = RolloutState.Paused;
            rollout.Reason = "waiting for canary promotion";
            if (rollout.Strategy.CanaryAutoPromoteAfter is { } after)
            {
                canary.AutoPromoteAt = Timestamp.FromDateTime(Now + after.ToTimeSpan());
            }
            await save();
        }
        if (canary.AutoPromoteAt is { } at && at.ToDateTime() <= Now)
        {
            RolloutControl.Promote(document, "auto", Now);
            await save();
            return false;
        }
        return true;
    }

    /// <summary>A step failed or a deadline passed: revert what was touched (auto_revert), else stop FAILED.</summary>
    private async Task FailAsync(RolloutDocument document, string reason, Func<Task> save, CancellationToken cancellationToken)
    {
        var rollout = document.Rollout;
        rollout.Reason = reason;
        if (rollout.Strategy.AutoRevert && document.Work.Steps.Any(w => w.Touched))
        {
            rollout.State = RolloutState.Running;
            rollout.Reverting = true;
            await save();
            await RevertAsync(document, save, cancellationToken);
            return;
        }
        rollout.State = RolloutState.Failed;
        await CleanUpAsync(document, cancellationToken);
        await save();
    }

    /// <summary>Returns touched instances to their previous release one at a time, newest first; then ROLLED_BACK.</summary>
    private async Task RevertAsync(RolloutDocument document, Func<Task> save, CancellationToken cancellationToken)
    {
        var rollout = document.Rollout;
        var work = document.Work;
        spans.Phase(document, "revert")?.SetTag("controlplane.rollout.reason", rollout.Reason);
        for (var i = 0; i < rollout.Steps.Count; i++)
        {
            // Not yet sent anything: simply put back in service, nothing to revert.
            if (!work.Steps[i].Touched && RolloutStates.InFlight(rollout.Steps[i].Phase))
            {
                await fleet.SetDrainAsync(rollout.Steps[i].InstanceId, false, $"rollout {rollout.Id} reverting", cancellationToken);
                rollout.Steps[i].Phase = RolloutStepPhase.Pending;
                rollout.Steps[i].PhaseChangedAt = Timestamp.FromDateTime(Now);
            }
        }
        while (true)
        {
            var current = Enumerable.Range(0, rollout.Steps.Count).FirstOrDefault(i => rollout.Steps[i].Phase == RolloutStepPhase.Reverting, -1);
            if (current < 0)
            {
                current = Enumerable.Range(0, rollout.Steps.Count)
                    .Where(i => work.Steps[i].Touched && rollout.Steps[i].Phase != RolloutStepPhase.Reverted)
                    .OrderByDescending(i => work.Steps[i].ApplyOrder)
                    .FirstOrDefault(-1);
                if (current < 0)
                {
                    rollout.State = RolloutState.RolledBack;
                    rollout.Reverting = false;
                    await save();
                    spans.EndPhase(rollout.Id, "revert");
                    return;
                }
                steps.Begin(rollout.Steps[current], work.Steps[current], revert: true);
                await save();
            }
            await steps.AdvanceAsync(document, current, save, cancellationToken);
            var step = rollout.Steps[current];
            if (step.Phase == RolloutStepPhase.Failed)
            {
                rollout.State = RolloutState.Failed;
                rollout.Reverting = false;
                rollout.Reason = $"reverting failed: {step.Error} (after: {rollout.Reason})";
                await CleanUpAsync(document, cancellationToken);
                await save();
                spans.EndPhase(rollout.Id, "revert", rollout.Reason);
                return;
            }
            if (step.Phase != RolloutStepPhase.Reverted)
            {
                return;
            }
        }
    }

    /// <summary>An ended rollout leaves no healthy instance drained: undrain every step still in flight (failed ones stay out).</summary>
    private async Task CleanUpAsync(RolloutDocument document, CancellationToken cancellationToken)
    {
        var rollout = document.Rollout;
        foreach (var step in rollout.Steps.Where(s => RolloutStates.InFlight(s.Phase)))
        {
            await fleet.SetDrainAsync(step.InstanceId, false, $"rollout {rollout.Id} {RolloutStates.Name(rollout.State)}", cancellationToken);
            step.Error = $"stopped at {RolloutStates.Name(step.Phase)}: rollout {RolloutStates.Name(rollout.State)}";
            step.Phase = RolloutStepPhase.Failed;
            step.FinishedAt = Timestamp.FromDateTime(Now);
        }
        document.Work.CleanupPending = false;
    }
}
