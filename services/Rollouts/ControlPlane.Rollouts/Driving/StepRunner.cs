using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Domain;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace ControlPlane.Rollouts.Driving;

/// <summary>
/// Moves one instance through drain → apply → wait healthy → verify → undrain (or, reverting, back to its previous
/// release without the verify). Each stage's action is idempotent and the step is saved on entering the next stage,
/// so a driver resuming after a crash repeats at most one idempotent action and never applies a release twice.
/// </summary>
public sealed class StepRunner(FleetClients fleet, ReleaseSender sender, HealthGate health, RolloutSpans spans, IOptions<RolloutsOptions> options, TimeProvider clock)
{
    private enum Stage { Drain, Apply, WaitHealthy, Verify, Undrain, Finished }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Runs the step until it has to wait (or ends); <paramref name="save"/> persists the rollout.</summary>
    public async Task AdvanceAsync(RolloutDocument document, int index, Func<Task> save, CancellationToken cancellationToken)
    {
        var rollout = document.Rollout;
        var step = rollout.Steps[index];
        var work = document.Work.Steps[index];
        var revert = step.Phase == RolloutStepPhase.Reverting;
        var deadline = rollout.Strategy.HealthyDeadline.ToTimeSpan();
        while (true)
        {
            var since = step.PhaseChangedAt.ToDateTime();
            var stage = StageOf(step, work);
            if (stage != Stage.Finished)
            {
                // The stage's span is current while acting on it: the Registry, HealthProbe and Agent work joins it.
                Activity.Current = spans.Stage(document, step, SpanName(stage), revert) ?? Activity.Current;
            }
            switch (stage)
            {
                case Stage.Drain:
                    await fleet.SetDrainAsync(step.InstanceId, true, $"rollout {rollout.Id}", cancellationToken);
                    if (Now < since + options.Value.DrainGrace)
                    {
                        return;
                    }
                    Enter(step, work, Stage.Apply, revert);
                    await save();
                    continue;

                case Stage.Apply:
                    var applyId = ReleaseSender.ApplyId(rollout, step, revert);
                    if (await sender.FindAnswerAsync(applyId, cancellationToken) is { } answer)
                    {
                        if (!answer.Ok)
                        {
                            Fail(step, $"the Agent could not apply {(revert ? step.FromVersion : step.ToVersion)}: {answer.Error}");
                            await save();
                            return;
                        }
                        Activity.Current?.AddEvent(new ActivityEvent("applied", tags: new ActivityTagsCollection { ["controlplane.version"] = answer.Version }));
                        work.AppliedAt = answer.ReceivedAt;
                        Enter(step, work, Stage.WaitHealthy, revert);
                        await save();
                        continue;
                    }
                    if (work.SentAt is null || !ReleaseSender.WasSentHere(applyId) || Now - work.SentAt > options.Value.ResendAfter)
                    {
                        // Saved as sent before sending: a crash in between resends the same ApplyId, which the Agent applies once.
                        if (!revert && work.ApplyOrder == 0)
                        {
                            work.ApplyOrder = document.Work.NextApplyOrder++;
                        }
                        work.SentAt = Now;
                        step.Attempts++;
                        await save();
                        await sender.SendAsync(rollout, step, revert, cancellationToken);
                        return;
                    }
                    // Starting a release can take longer than becoming healthy (image pulls, migrations): the healthy
                    // deadline counts from the Agent's answer, the wait for the answer is bounded by progress_deadline.
                    var answerDeadline = rollout.Strategy.ProgressDeadline.ToTimeSpan();
                    if (Now > since + answerDeadline)
                    {
                        Fail(step, $"the Agent did not answer within progress_deadline {answerDeadline}");
                        await save();
                    }
                    return;

                case Stage.WaitHealthy:
                    var version = revert ? step.FromVersion : step.ToVersion;
                    since = work.AppliedAt ?? since;
                    var current = await health.ReadAsync(step.InstanceId, version, since, cancellationToken);
                    if (!HealthGate.IsHealthyAt(current, version, since))
                    {
                        var wasHealthy = step.HealthySince is not null;
                        step.HealthySince = null;
                        if (Now > since + deadline)
                        {
                            Fail(step, $"not HEALTHY at {version} within healthy_deadline {deadline}: {HealthGate.Describe(current)}");
                        }
                        if (wasHealthy || step.Phase == RolloutStepPhase.Failed)
                        {
                            await save();
                        }
                        return;
                    }
                    if (step.HealthySince is null)
                    {
                        // Saved: min_healthy_time counts from the first healthy sighting across passes (and restarts).
                        step.HealthySince = Timestamp.FromDateTime(Now);
                        await save();
                    }
                    if (Now - step.HealthySince.ToDateTime() < rollout.Strategy.MinHealthyTime.ToTimeSpan())
                    {
                        return;
                    }
                    if (!revert && HealthGate.VerifyFailure(current!, version) is { } failure)
                    {
                        Enter(step, work, Stage.Verify, revert);
                        Fail(step, $"verification failed: {failure}");
                        await save();
                        return;
                    }
                    Enter(step, work, revert ? Stage.Undrain : Stage.Verify, revert);
                    await save();
                    continue;

                case Stage.Verify:
                    // Verified on the health read that ended the wait (one read, so both judge the same probe).
                    Enter(step, work, Stage.Undrain, revert);
                    await save();
                    continue;

                case Stage.Undrain:
                    await fleet.SetDrainAsync(step.InstanceId, false, $"rollout {rollout.Id}", cancellationToken);
                    Enter(step, work, Stage.Finished, revert);
                    step.FinishedAt = Timestamp.FromDateTime(Now);
                    document.Work.LastProgressAt = Now;
                    await save();
                    spans.EndStage(rollout.Id, step.InstanceId);
                    return;

                default:
                    return;
            }
        }
    }

    /// <summary>Starts the step (forward: DRAINING) or its revert (REVERTING, from drain).</summary>
    public void Begin(RolloutStep step, StepWork work, bool revert)
    {
        step.StartedAt ??= Timestamp.FromDateTime(Now);
        step.Error = revert ? step.Error : "";
        step.HealthySince = null;
        Enter(step, work, Stage.Drain, revert);
    }

    private static string SpanName(Stage stage) => stage switch
    {
        Stage.Drain => "drain",
        Stage.Apply => "apply",
        Stage.WaitHealthy => "health gate",
        Stage.Verify => "verify",
        _ => "undrain",
    };

    private static Stage StageOf(RolloutStep step, StepWork work) => step.Phase switch
    {
        RolloutStepPhase.Draining => Stage.Drain,
        RolloutStepPhase.Applying => Stage.Apply,
        RolloutStepPhase.WaitingHealthy => Stage.WaitHealthy,
        RolloutStepPhase.Verifying => Stage.Verify,
        RolloutStepPhase.Undraining => Stage.Undrain,
        RolloutStepPhase.Reverting => work.RevertStage switch
        {
            RevertStage.Drain => Stage.Drain,
            RevertStage.Apply => Stage.Apply,
            RevertStage.WaitHealthy => Stage.WaitHealthy,
            _ => Stage.Undrain,
        },
        _ => Stage.Finished,
    };

    private void Enter(RolloutStep step, StepWork work, Stage stage, bool revert)
    {
        step.PhaseChangedAt = Timestamp.FromDateTime(Now);
        if (stage == Stage.Apply)
        {
            work.SentAt = null;
            work.AppliedAt = null;
        }
        if (revert)
        {
            step.Phase = stage == Stage.Finished ? RolloutStepPhase.Reverted : RolloutStepPhase.Reverting;
            work.RevertStage = stage switch
            {
                Stage.Drain => RevertStage.Drain,
                Stage.Apply => RevertStage.Apply,
                Stage.WaitHealthy => RevertStage.WaitHealthy,
                Stage.Undrain => RevertStage.Undrain,
                _ => RevertStage.None,
            };
            return;
        }
        step.Phase = stage switch
        {
            Stage.Drain => RolloutStepPhase.Draining,
            Stage.Apply => RolloutStepPhase.Applying,
            Stage.WaitHealthy => RolloutStepPhase.WaitingHealthy,
            Stage.Verify => RolloutStepPhase.Verifying,
            Stage.Undrain => RolloutStepPhase.Undraining,
            _ => RolloutStepPhase.Done,
        };
    }

    private void Fail(RolloutStep step, string error)
    {
        Activity.Current?.SetStatus(ActivityStatusCode.Error, error);
        step.Phase = RolloutStepPhase.Failed;
        step.Error = $"{step.InstanceId} {error}";
        step.PhaseChangedAt = Timestamp.FromDateTime(Now);
        step.FinishedAt = Timestamp.FromDateTime(Now);
    }
}
