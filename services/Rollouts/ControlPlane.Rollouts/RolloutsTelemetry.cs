using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Rollouts;

/// <summary>The Rollouts service's ActivitySource and Meter: how rollouts go, for traces and dashboards.</summary>
public static class RolloutsTelemetry
{
    public const string Name = "ControlPlane.Rollouts";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Completed = Meter.CreateCounter<long>("controlplane.rollouts.completed",
        description: "Rollouts ended, by app and outcome (succeeded, failed, rolledback, aborted).");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("controlplane.rollouts.duration", "s",
        "Time from a rollout's start to its end, by app and outcome.");

    public static readonly Counter<long> Steps = Meter.CreateCounter<long>("controlplane.rollouts.steps",
        description: "Instance steps finished, by app and outcome (done, failed, reverted).");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("controlplane.rollouts.step_duration", "s",
        "Time one instance spent in its step (drain to undrain), by app and outcome.");

    /// <summary>Active rollouts this replica drives (only the driving replica reports them), by app.</summary>
    private static readonly ConcurrentDictionary<string, string> Driving = new();

    static RolloutsTelemetry()
    {
        Meter.CreateObservableGauge("controlplane.rollouts.in_progress", () => Driving.Values.GroupBy(app => app).Select(g =>
            new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("app", g.Key))),
            description: "Rollouts PENDING, RUNNING or PAUSED, by app (reported by the replica driving them).");
    }

    public static void ReportDriving(string rolloutId, string app, bool active)
    {
        if (active)
        {
            Driving[rolloutId] = app;
        }
        else
        {
            Driving.TryRemove(rolloutId, out _);
        }
    }

    /// <summary>Forgets rollouts no longer driven here (ended elsewhere, or the lease went to another replica).</summary>
    public static void RetainDriving(IReadOnlyCollection<string> rolloutIds)
    {
        foreach (var id in Driving.Keys.Where(id => !rolloutIds.Contains(id)))
        {
            Driving.TryRemove(id, out _);
        }
    }

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
