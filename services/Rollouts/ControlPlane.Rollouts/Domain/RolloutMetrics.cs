using ControlPlane.Api.V1;

namespace ControlPlane.Rollouts.Domain;

/// <summary>
/// Counts what a committed save finished: the rollout's outcome and its steps'. Recorded from the difference with the
/// state as loaded, so each end is counted once, by whichever replica (driver or API) saved it.
/// </summary>
public static class RolloutMetrics
{
    public static void Record(Rollout? before, Rollout after)
    {
        if (before is null)
        {
            return;
        }
        var app = RolloutsTelemetry.Tag("app", after.App);
        for (var i = 0; i < after.Steps.Count && i < before.Steps.Count; i++)
        {
            var step = after.Steps[i];
            if (step.Phase != before.Steps[i].Phase && step.Phase is RolloutStepPhase.Done or RolloutStepPhase.Failed or RolloutStepPhase.Reverted)
            {
                var outcome = RolloutsTelemetry.Tag("outcome", RolloutStates.Name(step.Phase).ToLowerInvariant());
                RolloutsTelemetry.Steps.Add(1, app, outcome);
                if (step.StartedAt is { } started && step.FinishedAt is { } finished)
                {
                    RolloutsTelemetry.StepDuration.Record((finished.ToDateTime() - started.ToDateTime()).TotalSeconds, app, outcome);
                }
            }
        }
        if (RolloutStates.IsActive(before.State) && !RolloutStates.IsActive(after.State))
        {
            var outcome = RolloutsTelemetry.Tag("outcome", RolloutStates.Name(after.State).ToLowerInvariant());
            RolloutsTelemetry.Completed.Add(1, app, outcome);
            var started = after.StartedAt ?? after.CreatedAt;
            if (started is not null && after.FinishedAt is { } finished)
            {
                RolloutsTelemetry.Duration.Record((finished.ToDateTime() - started.ToDateTime()).TotalSeconds, app, outcome);
            }
        }
    }
}
