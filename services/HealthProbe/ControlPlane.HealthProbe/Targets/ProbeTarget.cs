using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.HealthProbe.State;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.HealthProbe.Targets;

/// <summary>
/// One instance as the prober knows it: the Registry's facts (address, drain, lease), the app's spec, and
/// its health. Mutated under <see cref="Gate"/>; read through <see cref="ToApi"/> snapshots.
/// </summary>
public sealed class ProbeTarget(string instanceId, HealthCounter counter)
{
    /// <summary>What a probe round needs, copied out so the round runs without the lock.</summary>
    public sealed record Plan(string Address, Uri BaseUri, HealthCheckSpec Spec, bool CheckLiveness);

    public object Gate { get; } = new();

    public string InstanceId { get; } = instanceId;
    public string App { get; set; } = "";
    public string Address { get; set; } = "";
    public bool Draining { get; set; }
    public bool LeaseAlive { get; set; } = true;
    public HealthCheckSpec Spec { get; set; } = new();

    /// <summary>Why the target policy forbids probing this address (null: allowed).</summary>
    public string? Refusal { get; set; }

    public HealthCounter Counter { get; } = counter;
    public string Reason { get; set; } = "not probed yet";
    public DateTime StateSince { get; set; } = DateTime.UtcNow;
    public string ReportedVersion { get; set; } = "";
    public ApiHealthReport? Report { get; set; }
    public Dictionary<ProbeEndpointKind, EndpointState> Endpoints { get; } = [];
    public DateTime? LastCheckedAt { get; set; }
    public DateTime? NextCheckAt { get; set; }
    public bool LastRoundPassed { get; set; }

    public TimeSpan? LastRoundLatency { get; set; }

    /// <summary>Revision of the last persisted change (state, readiness or version).</summary>
    public long Revision { get; set; }

    public bool Removed { get; set; }

    /// <summary>1 while a round runs: a slow instance is not probed twice at once.</summary>
    public int InFlight;

    public HealthState State => Counter.State;

    public bool Ready => !Removed && !Draining && LeaseAlive && State == HealthState.Healthy;

    public Plan? PlanRound()
    {
        lock (Gate)
        {
            return Removed || Refusal is not null
                ? null
                : new Plan(Address, new Uri(Address.EndsWith('/') ? Address : Address + "/"), Spec, CheckLiveness: !LastRoundPassed);
        }
    }

    /// <summary>A snapshot for the API. Call under <see cref="Gate"/>.</summary>
    public InstanceHealth ToApi(string proberId)
    {
        var health = new InstanceHealth
        {
            InstanceId = InstanceId,
            App = App,
            Address = Address,
            State = State,
            Reason = Reason,
            StateSince = Timestamp.FromDateTime(StateSince),
            ConsecutiveSuccesses = Counter.Successes,
            ConsecutiveFailures = Counter.Failures,
            ReportedVersion = ReportedVersion,
            ProberId = proberId,
            Draining = Draining,
            LeaseAlive = LeaseAlive,
            Ready = Ready,
            Revision = Revision,
        };
        if (Report is not null)
        {
            health.HealthReport = Report;
        }
        health.Endpoints.AddRange(Endpoints.OrderBy(e => e.Key).Select(e => e.Value.ToApi()));
        if (LastCheckedAt is { } last)
        {
            health.LastCheckedAt = Timestamp.FromDateTime(last);
        }
        if (NextCheckAt is { } next)
        {
            health.NextCheckAt = Timestamp.FromDateTime(next);
        }
        if (Draining) { health.NotReadyReasons.Add(NotReadyReason.Draining); }
        if (!LeaseAlive) { health.NotReadyReasons.Add(NotReadyReason.LeaseExpired); }
        if (State != HealthState.Healthy) { health.NotReadyReasons.Add(NotReadyReason.NotHealthy); }
        return health;
    }
}
