using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Rollouts.Domain;

namespace ControlPlane.Rollouts.Driving;

/// <summary>
/// The spans of rollouts being driven: one for the rollout, one per instance step stage (drain, apply, health gate,
/// verify, undrain; revert stages under a "rollout revert" span), and phases (backup_before, paused). A rollout lasts
/// many driver passes, so its spans stay open in memory between passes and end when what they cover ends; every
/// pass runs under them, so the gRPC calls, bus sends and database work of a step become its children. The rollout
/// span's parent is the start's span, stored with the rollout (work.TraceParent), so a rollout started by a message
/// is one trace even when another replica drives it. A replica that stops driving (lease lost, restart) loses its
/// open spans; the new driver opens fresh ones under the same stored parent.
/// </summary>
public sealed class RolloutSpans
{
    private readonly ConcurrentDictionary<string, (Activity Span, Activity? Parent)> _open = new();

    /// <summary>The rollout's span, started on its first pass here.</summary>
    public Activity? Rollout(RolloutDocument document)
    {
        var rollout = document.Rollout;
        if (_open.TryGetValue(rollout.Id, out var open))
        {
            return open.Span;
        }
        ActivityContext.TryParse(document.Work.TraceParent ?? "", null, out var parent);
        var span = Start($"rollout {rollout.App}", parent, rollout.StartedAt?.ToDateTime());
        if (span is null)
        {
            return null;
        }
        span.SetTag("controlplane.rollout.id", rollout.Id);
        span.SetTag("controlplane.app", rollout.App);
        span.SetTag("controlplane.rollout.target_version", rollout.Target.Version);
        span.SetTag("controlplane.rollout.target_config_hash", rollout.Target.ConfigHash);
        span.SetTag("controlplane.rollout.instances", rollout.Steps.Count);
        span.SetTag("controlplane.rollout.max_parallel", rollout.Strategy.MaxParallel);
        span.SetTag("controlplane.rollout.canary", rollout.Strategy.Canary);
        span.SetTag("controlplane.rollout.backup_before", rollout.Strategy.BackupBefore);
        _open[rollout.Id] = (span, null);
        return span;
    }

    /// <summary>A phase of the whole rollout ("backup_before", "paused", "revert"): started once, kept until ended.</summary>
    public Activity? Phase(RolloutDocument document, string phase)
    {
        var key = $"{document.Rollout.Id}#{phase}";
        if (_open.TryGetValue(key, out var open))
        {
            return open.Span;
        }
        var parent = Rollout(document);
        var span = Start($"rollout {phase}", parent?.Context ?? default, null);
        if (span is not null)
        {
            span.SetTag("controlplane.rollout.id", document.Rollout.Id);
            _open[key] = (span, parent);
        }
        return span;
    }

    public void EndPhase(string rolloutId, string phase, string? error = null) => End($"{rolloutId}#{phase}", error);

    /// <summary>The span of the stage an instance's step is in; entering another stage ends the previous one.</summary>
    public Activity? Stage(RolloutDocument document, RolloutStep step, string stage, bool revert)
    {
        var key = StepKey(document.Rollout.Id, step.InstanceId);
        var name = revert ? $"rollout revert {stage}" : $"rollout step {stage}";
        if (_open.TryGetValue(key, out var open))
        {
            if (open.Span.DisplayName == name)
            {
                return open.Span;
            }
            End(key, null);
        }
        var parent = revert ? Phase(document, "revert") : Rollout(document);
        var span = Start(name, parent?.Context ?? default, null);
        if (span is not null)
        {
            span.SetTag("controlplane.rollout.id", document.Rollout.Id);
            span.SetTag("controlplane.instance.id", step.InstanceId);
            span.SetTag("controlplane.rollout.to_version", revert ? step.FromVersion : step.ToVersion);
            span.SetTag("controlplane.rollout.attempt", step.Attempts);
            _open[key] = (span, parent);
        }
        return span;
    }

    public void EndStage(string rolloutId, string instanceId, string? error = null) => End(StepKey(rolloutId, instanceId), error);

    /// <summary>Ends the spans of steps no longer in flight (moved on by a path that did not end them itself).</summary>
    public void Sweep(RolloutDocument document)
    {
        foreach (var step in document.Rollout.Steps.Where(s => !RolloutStates.InFlight(s.Phase)))
        {
            EndStage(document.Rollout.Id, step.InstanceId, step.Phase == RolloutStepPhase.Failed ? step.Error : null);
        }
    }

    /// <summary>The rollout ended: its span (with the outcome) and everything still open under it end.</summary>
    public void EndRollout(Rollout rollout)
    {
        var prefix = rollout.Id + "#";
        var stepPrefix = rollout.Id + "/";
        foreach (var key in _open.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) || k.StartsWith(stepPrefix, StringComparison.Ordinal)))
        {
            End(key, null);
        }
        if (_open.TryGetValue(rollout.Id, out var open))
        {
            var span = open.Span;
            span.SetTag("controlplane.rollout.outcome", RolloutStates.Name(rollout.State).ToLowerInvariant());
            span.SetTag("controlplane.rollout.done", rollout.Progress?.Done ?? 0);
            span.SetTag("controlplane.rollout.failed", rollout.Progress?.Failed ?? 0);
            span.SetTag("controlplane.rollout.reverted", rollout.Progress?.Reverted ?? 0);
            var failed = rollout.State is RolloutState.Failed or RolloutState.RolledBack;
            End(rollout.Id, failed ? rollout.Reason : null);
        }
    }

    /// <summary>Ends the spans of rollouts not in <paramref name="driven"/> (ended or taken over elsewhere).</summary>
    public void Retain(IReadOnlyCollection<string> driven)
    {
        foreach (var key in _open.Keys.Where(k => !driven.Contains(RolloutIdOf(k))))
        {
            if (_open.TryGetValue(key, out var open))
            {
                open.Span.SetTag("controlplane.rollout.interrupted", "no longer driven by this replica");
            }
            End(key, null);
        }
    }

    private static string StepKey(string rolloutId, string instanceId) => $"{rolloutId}/{instanceId}";

    private static string RolloutIdOf(string key) => key.Split('#', '/')[0];

    /// <summary>Started without becoming Activity.Current: the caller decides what runs under it.</summary>
    private static Activity? Start(string name, ActivityContext parent, DateTime? startedAt)
    {
        var current = Activity.Current;
        var span = RolloutsTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent,
            startTime: startedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : default);
        Activity.Current = current;
        return span;
    }

    private void End(string key, string? error)
    {
        if (!_open.TryRemove(key, out var open))
        {
            return;
        }
        var span = open.Span;
        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
        }
        // Stop() makes the span's predecessor current; whoever runs here keeps their own current span (or, when
        // that was the ended span, its parent, so what runs next in the pass stays in the rollout's trace).
        var current = Activity.Current;
        span.Stop();
        Activity.Current = current == span ? open.Parent : current;
    }
}
