using ControlPlane.Api.V1;

namespace ControlPlane.Rollouts.Domain;

public static class RolloutStates
{
    public static bool IsActive(RolloutState state) =>
        state is RolloutState.Pending or RolloutState.Running or RolloutState.Paused;

    /// <summary>The instance is taken out of service by this step (drained, restarting or being checked).</summary>
    public static bool InFlight(RolloutStepPhase phase) => phase is RolloutStepPhase.Draining or RolloutStepPhase.Applying
        or RolloutStepPhase.WaitingHealthy or RolloutStepPhase.Verifying or RolloutStepPhase.Undraining or RolloutStepPhase.Reverting;

    public static bool Finished(RolloutStepPhase phase) =>
        phase is RolloutStepPhase.Done or RolloutStepPhase.Skipped or RolloutStepPhase.Reverted or RolloutStepPhase.Failed;

    /// <summary>"RUNNING" rather than "ROLLOUT_STATE_RUNNING", for messages and bus events.</summary>
    public static string Name(RolloutState state) => state.ToString().ToUpperInvariant();

    public static string Name(RolloutStepPhase phase) => phase.ToString().ToUpperInvariant();

    public static void Count(Rollout rollout)
    {
        var progress = new RolloutProgress { Total = rollout.Steps.Count };
        foreach (var step in rollout.Steps)
        {
            switch (step.Phase)
            {
                case RolloutStepPhase.Pending: progress.Pending++; break;
                case RolloutStepPhase.Done: progress.Done++; break;
                case RolloutStepPhase.Failed: progress.Failed++; break;
                case RolloutStepPhase.Reverted: progress.Reverted++; break;
                case RolloutStepPhase.Skipped: progress.Skipped++; break;
                default: progress.InProgress++; break;
            }
        }
        rollout.Progress = progress;
        if (rollout.Canary is { } canary)
        {
            canary.Done = rollout.Steps.Count(s => s.Canary && s.Phase is RolloutStepPhase.Done or RolloutStepPhase.Skipped);
        }
    }
}
