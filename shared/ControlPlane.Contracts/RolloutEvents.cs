namespace ControlPlane.Contracts;

/// <summary>
/// Command (one Rollouts replica handles it): start a rollout of <see cref="App"/> to <see cref="Version"/> and/or
/// <see cref="ConfigHash"/>. Unset strategy fields take the app's rollout defaults. A repeated command with the same
/// <see cref="RequestId"/> (or, when empty, the same message id) starts one rollout. Answered by
/// <see cref="RolloutAccepted"/> or <see cref="RolloutRejected"/>.
/// </summary>
public sealed record StartRollout(
    string App,
    string Version = "",
    string ConfigHash = "",
    int? MaxParallel = null,
    TimeSpan? MinHealthyTime = null,
    TimeSpan? HealthyDeadline = null,
    TimeSpan? ProgressDeadline = null,
    bool? AutoRevert = null,
    int? Canary = null,
    bool? BackupBefore = null,
    IReadOnlyList<string>? InstanceIds = null,
    string Initiator = "",
    string Description = "",
    string RequestId = "");

/// <summary>A start request was accepted: <see cref="RolloutId"/> runs (or already ran, for a repeated request id).</summary>
public sealed record RolloutAccepted(string RolloutId, string App, string RequestId, string MessageId, DateTimeOffset OccurredAt);

/// <summary>A start request was refused, with the reason; the message went to the error queue.</summary>
public sealed record RolloutRejected(string App, string Reason, string RequestId, string MessageId, DateTimeOffset OccurredAt);

/// <summary>
/// Command to one Agent (sent to its own queue, see <see cref="AgentQueue"/>): make the instance run this release.
/// <see cref="ApplyId"/> names the step; an Agent applies each id once and answers a repeat with the first answer.
/// </summary>
public sealed record ApplyRelease(
    string AgentId,
    string InstanceId,
    string RolloutId,
    string ApplyId,
    string Version,
    string ConfigHash,
    byte[]? Config,
    bool Revert,
    DateTimeOffset SentAt);

public sealed record ReleaseApplied(
    string AgentId, string InstanceId, string RolloutId, string ApplyId, string Version, string ConfigHash,
    bool AlreadyApplied, DateTimeOffset OccurredAt);

public sealed record ReleaseFailed(
    string AgentId, string InstanceId, string RolloutId, string ApplyId, string Version, string Reason, DateTimeOffset OccurredAt);

/// <summary>Every Rollouts event: lets a replica react to "something changed at revision N".</summary>
public interface IRolloutEvent
{
    string RolloutId { get; }
    string App { get; }
    long Revision { get; }
}

public sealed record RolloutStateChanged(
    string RolloutId, string App, string State, string PreviousState, bool Reverting, string Reason,
    long Revision, DateTimeOffset OccurredAt) : IRolloutEvent;

public sealed record RolloutStepChanged(
    string RolloutId, string App, string InstanceId, string Phase, string PreviousPhase, string Error,
    long Revision, DateTimeOffset OccurredAt) : IRolloutEvent;

/// <summary>Where ApplyRelease commands for one Agent go. An Agent's id defaults to the id of the instance it runs beside.</summary>
public static class AgentQueue
{
    public static string Name(string agentId) => $"controlplane-agent-{agentId}";
}
