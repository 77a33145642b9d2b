using System.Collections.Concurrent;
using System.Threading.Channels;
using ControlPlane.Api.V1;
using ControlPlane.HealthProbe.Data;
using ControlPlane.HealthProbe.Probing;
using ControlPlane.HealthProbe.Targets;
using ControlPlane.ServiceDefaults.Api;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.HealthProbe.State;

/// <summary>
/// The prober's in-memory picture of the fleet: targets fed by the Registry, health fed by probe rounds.
/// Every change of state, readiness or reported version becomes a <see cref="HealthTransition"/>, which
/// <see cref="TransitionWriter"/> persists and announces; nothing else is written per probe (each probe only goes to
/// the live <see cref="ProbeFeed"/>).
/// </summary>
public sealed class HealthMonitor(
    TargetPolicy policy, ProberMembership membership, ProbeFeed probes, IOptions<ControlPlaneOptions> host, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ProbeTarget> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HealthCheckSpec> _specs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InstanceHealthRecord> _persisted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Revision, DateTime ChangedAt)> _readySets = new(StringComparer.Ordinal);
    private readonly Channel<HealthTransition> _transitions = Channel.CreateUnbounded<HealthTransition>(new() { SingleReader = true });

    public string ProberId => host.Value.InstanceId;

    public ChannelReader<HealthTransition> Transitions => _transitions.Reader;

    /// <summary>Targets just added, for the scheduler to pick up.</summary>
    public ConcurrentQueue<ProbeTarget> Added { get; } = new();

    public ICollection<ProbeTarget> Targets => _targets.Values;

    public bool TryGet(string instanceId, out ProbeTarget target) => _targets.TryGetValue(instanceId, out target!);

    public bool HasSpec(string app) => _specs.ContainsKey(app);

    public bool KnowsApp(string app) => _specs.ContainsKey(app) || _targets.Values.Any(t => t.App == app);

    public (long Revision, DateTime ChangedAt) ReadySetRevision(string app) => _readySets.GetValueOrDefault(app);

    /// <summary>State persisted before a restart, so a known instance does not start over as UNKNOWN.</summary>
    public void LoadPersisted(IEnumerable<InstanceHealthRecord> instances, IEnumerable<ReadySetRecord> readySets)
    {
        foreach (var row in instances)
        {
            _persisted[row.InstanceId] = row;
        }
        foreach (var set in readySets)
        {
            _readySets[set.App] = (set.Revision, set.ChangedAt);
        }
    }

    public IEnumerable<string> PersistedIds => _persisted.Keys;

    public void SetSpec(string app, HealthCheckSpec spec)
    {
        var complete = ApiDefaults.Complete(spec);
        _specs[app] = complete;
        foreach (var target in _targets.Values.Where(t => t.App == app))
        {
            lock (target.Gate)
            {
                target.Spec = complete;
            }
        }
    }

    /// <summary>Adds or updates a target from the Registry's view of the instance.</summary>
    public void Apply(Instance instance)
    {
        var added = false;
        var target = _targets.GetOrAdd(instance.InstanceId, id =>
        {
            added = true;
            return Create(id);
        });
        lock (target.Gate)
        {
            var (previousState, previousReady, previousVersion) = (target.State, target.Ready, target.ReportedVersion);
            target.App = instance.App;
            target.Draining = instance.Draining;
            target.LeaseAlive = instance.State == InstanceState.Active;
            target.Spec = _specs.TryGetValue(instance.App, out var spec) ? spec : ApiDefaults.Complete((HealthCheckSpec?)null);
            if (target.Address != instance.Address)
            {
                target.Address = instance.Address;
                target.Refusal = policy.CheckUrl(instance.Address);
                if (target.Refusal is not null && target.Counter.Force(HealthState.Unhealthy))
                {
                    target.Reason = $"not probed: {target.Refusal}";
                    target.StateSince = clock.GetUtcNow().UtcDateTime;
                }
            }
            var wasKnown = _persisted.TryRemove(instance.InstanceId, out _);
            var type = added && !wasKnown ? HealthEventType.Added : HealthEventType.Changed;
            Announce(target, type, previousState, previousReady, previousVersion, force: type == HealthEventType.Added);
        }
        if (added)
        {
            Added.Enqueue(target);
        }
    }

    public void Remove(string instanceId)
    {
        _persisted.TryRemove(instanceId, out _);
        if (!_targets.TryRemove(instanceId, out var target))
        {
            return;
        }
        lock (target.Gate)
        {
            var wasReady = target.Ready;
            target.Removed = true;
            Announce(target, HealthEventType.Removed, target.State, wasReady, target.ReportedVersion, force: true);
        }
    }

    /// <summary>Takes one round's checks into account (counted toward rise/fall unless <paramref name="count"/> is false).</summary>
    /// <returns>The verdict, and the state before and after.</returns>
    public (Verdict Verdict, HealthState Before, HealthState After) Record(ProbeTarget target, IReadOnlyList<EndpointCheck> checks, bool count = true)
    {
        var (verdict, reason) = RoundEvaluator.Evaluate(checks);
        var now = clock.GetUtcNow().UtcDateTime;
        HealthProbeTelemetry.Rounds.Add(1, new KeyValuePair<string, object?>("verdict", VerdictTag(verdict)));
        var latency = checks.Count == 0 ? TimeSpan.Zero : checks.Max(c => c.Latency);
        HealthProbeTelemetry.RoundDuration.Record(latency.TotalSeconds);
        lock (target.Gate)
        {
            var (previousState, previousReady, previousVersion) = (target.State, target.Ready, target.ReportedVersion);
            if (!count || target.Removed)
            {
                return (verdict, previousState, previousState);
            }
            foreach (var check in checks)
            {
                if (!target.Endpoints.TryGetValue(check.Endpoint, out var endpoint))
                {
                    target.Endpoints[check.Endpoint] = endpoint = new EndpointState();
                }
                endpoint.Record(check, now);
                if (check.Report is { } report)
                {
                    report.ReportedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(now);
                    target.Report = report;
                    if (report.Version.Length > 0)
                    {
                        target.ReportedVersion = report.Version;
                    }
                }
            }
            target.LastCheckedAt = now;
            target.NextCheckAt = now + target.Spec.Interval.ToTimeSpan();
            target.LastRoundPassed = verdict == Verdict.Pass;
            target.LastRoundLatency = latency;
            if (verdict != Verdict.Pass)
            {
                HealthProbeTelemetry.Failures.Add(1, new("app", target.App), new("instance", target.InstanceId));
            }
            if (target.Counter.Record(verdict, target.Spec.Rise, target.Spec.Fall))
            {
                target.StateSince = now;
                target.Reason = verdict == Verdict.Pass ? $"passed {target.Spec.Rise} checks in a row (rise)" : reason;
            }
            else if (verdict != Verdict.Pass && target.State != HealthState.Healthy)
            {
                target.Reason = reason;
            }
            Announce(target, HealthEventType.Changed, previousState, previousReady, previousVersion, force: false);
            probes.Observed(target.InstanceId, target.App, now, latency, verdict == Verdict.Pass);
            return (verdict, previousState, target.State);
        }
    }

    /// <summary>Whether this replica probes the instance (targets are shared out between prober replicas in HA).</summary>
    public bool Owns(ProbeTarget target) => membership.Owns(target.InstanceId);

    /// <summary>
    /// Another replica's transition (from the bus): take its verdict for an instance this replica does not probe,
    /// so every replica answers for the whole fleet.
    /// </summary>
    public void ApplyRemote(string instanceId, HealthState state, string reason, string reportedVersion, long revision, DateTime at)
    {
        if (!_targets.TryGetValue(instanceId, out var target))
        {
            return;
        }
        lock (target.Gate)
        {
            if (revision <= target.Revision)
            {
                return;
            }
            var wasReady = target.Ready;
            if (target.Counter.Force(state))
            {
                target.StateSince = at;
            }
            target.Reason = reason;
            target.ReportedVersion = reportedVersion;
            target.Revision = revision;
            if (wasReady != target.Ready)
            {
                _readySets[target.App] = (revision, at);
            }
        }
    }

    /// <summary>Called by the writer once a transition is stored: the revisions the API reports.</summary>
    public void Persisted(HealthTransition transition, long revision)
    {
        lock (transition.Target.Gate)
        {
            transition.Target.Revision = revision;
        }
        if (transition.ReadyChanged || (transition.Type == HealthEventType.Removed && transition.Snapshot.Ready))
        {
            _readySets[transition.Snapshot.App] = (revision, transition.At);
        }
    }

    private static string VerdictTag(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Degraded => "degraded",
        _ => "fail",
    };

    private ProbeTarget Create(string instanceId)
    {
        if (!_persisted.TryGetValue(instanceId, out var row))
        {
            return new ProbeTarget(instanceId, new HealthCounter());
        }
        return new ProbeTarget(instanceId, new HealthCounter((HealthState)row.State))
        {
            Reason = row.Reason,
            StateSince = DateTime.SpecifyKind(row.StateSince, DateTimeKind.Utc),
            ReportedVersion = row.ReportedVersion,
            Revision = row.Revision,
        };
    }

    /// <summary>Queues a transition when state, readiness or version changed (or always, with <paramref name="force"/>). Call under the target's lock.</summary>
    private void Announce(ProbeTarget target, HealthEventType type, HealthState previousState, bool previousReady, string previousVersion, bool force)
    {
        var stateChanged = previousState != target.State;
        var readyChanged = previousReady != target.Ready;
        var versionChanged = previousVersion != target.ReportedVersion;
        if ((!force && !stateChanged && !readyChanged && !versionChanged) || !membership.Owns(target.InstanceId))
        {
            // Unchanged, or another replica probes it and announces its changes.
            return;
        }
        using var span = HealthProbeTelemetry.Source.StartActivity($"health {type.ToString().ToLowerInvariant()} {target.State.ToString().ToLowerInvariant()}");
        span?.SetTag("controlplane.instance_id", target.InstanceId);
        span?.SetTag("controlplane.app", target.App);
        span?.SetTag("controlplane.health.previous_state", previousState.ToString());
        span?.SetTag("controlplane.health.state", target.State.ToString());
        span?.SetTag("controlplane.health.ready", target.Ready);
        span?.SetTag("controlplane.health.reason", target.Reason);
        _transitions.Writer.TryWrite(new HealthTransition(target, type, target.ToApi(ProberId), previousState,
            stateChanged, readyChanged || (type == HealthEventType.Added && target.Ready), versionChanged, clock.GetUtcNow().UtcDateTime));
    }
}
