namespace ControlPlane.Contracts;

/// <summary>An instance's health state, readiness or reported version changed (HealthProbe, through its outbox).</summary>
public sealed record InstanceHealthChanged(
    string InstanceId,
    string App,
    string State,
    string PreviousState,
    bool Ready,
    string Reason,
    string ReportedVersion,
    string ProberId,
    long Revision,
    DateTimeOffset OccurredAt);
