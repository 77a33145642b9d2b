using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Targets;

namespace ControlPlane.HealthProbe.State;

/// <summary>A change worth persisting and announcing: of state, readiness or reported version, or the target's arrival or removal.</summary>
public sealed record HealthTransition(
    ProbeTarget Target,
    HealthEventType Type,
    InstanceHealth Snapshot,
    HealthState PreviousState,
    bool StateChanged,
    bool ReadyChanged,
    bool VersionChanged,
    DateTime At);
