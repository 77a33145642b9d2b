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

/// <summary>
/// Probes run by one replica in the last second, for the apps some replica has watchers of probes for
/// (<see cref="HealthProbeInterest"/>). Published straight to the bus, not stored: a live feed for charts.
/// </summary>
public sealed record HealthProbesObserved(string Replica, IReadOnlyList<ProbeObservation> Probes);

/// <summary>One counted probe round of one instance; <see cref="LatencyMs"/> is its slowest endpoint.</summary>
public sealed record ProbeObservation(string InstanceId, string App, DateTimeOffset CheckedAt, double LatencyMs, bool Passed);

/// <summary>
/// A replica has watchers of probes for these apps (an empty name: every app) and asks the other replicas to
/// publish their probes of them until <see cref="Until"/>; repeated while the watchers stay.
/// </summary>
public sealed record HealthProbeInterest(string Replica, IReadOnlyList<string> Apps, DateTimeOffset Until);
