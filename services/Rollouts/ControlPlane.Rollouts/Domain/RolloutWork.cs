namespace ControlPlane.Rollouts.Domain;

/// <summary>The driver's bookkeeping of one rollout, beside the API message: what was sent, to whom, in which order.</summary>
public sealed class RolloutWork
{
    /// <summary>Per step (same order as Rollout.steps).</summary>
    public List<StepWork> Steps { get; set; } = [];

    /// <summary>Next number handed to a step when its release is first sent (reverts go newest first).</summary>
    public int NextApplyOrder { get; set; } = 1;

    /// <summary>When a step last finished (or the rollout started): the progress_deadline counts from here.</summary>
    public DateTime LastProgressAt { get; set; }

    /// <summary>Aborted, or ended FAILED, with instances still drained: the driver undrains them once.</summary>
    public bool CleanupPending { get; set; }

    /// <summary>W3C traceparent of the start's span: the driver's spans join it, whichever replica drives and when.</summary>
    public string? TraceParent { get; set; }
}

public sealed class StepWork
{
    public string InstanceId { get; set; } = "";

    /// <summary>0 until the forward release was first sent; then its order among the rollout's sends.</summary>
    public int ApplyOrder { get; set; }

    /// <summary>When the current ApplyRelease (forward or revert) was last sent; null: not sent in this phase yet.</summary>
    public DateTime? SentAt { get; set; }

    /// <summary>When the Agent answered the current ApplyRelease; health observed before this does not count.</summary>
    public DateTime? AppliedAt { get; set; }

    public RevertStage RevertStage { get; set; }

    public bool Touched => ApplyOrder > 0;
}

/// <summary>Where a step being reverted is (its API phase stays REVERTING throughout).</summary>
public enum RevertStage
{
    None,
    Drain,
    Apply,
    WaitHealthy,
    Undrain,
}
