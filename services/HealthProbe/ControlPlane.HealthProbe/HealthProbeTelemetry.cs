using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.HealthProbe;

/// <summary>The HealthProbe's Meter: names are constants so registration and use cannot disagree.</summary>
public static class HealthProbeTelemetry
{
    public const string MeterName = "ControlPlane.HealthProbe";
    public const string SourceName = "ControlPlane.HealthProbe";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Spans for health transitions only: probes themselves are far too many to trace.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Probe rounds finished, tagged with their verdict (pass, degraded, fail).</summary>
    public static readonly Counter<long> Rounds = Meter.CreateCounter<long>("controlplane.probe.rounds", description: "Probe rounds finished.");

    public static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>(
        "controlplane.probe.round.duration", unit: "s", description: "How long a probe round took.");

    /// <summary>Failed rounds per instance: the per-instance error rate an HA operator watches.</summary>
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "controlplane.probe.failures", description: "Probe rounds that did not pass, per instance.");

    /// <summary>
    /// Gauges read from the monitor at collection time: instances per app and state, ready-set size per app, and
    /// each instance's latest round latency (a gauge, not a histogram, to keep one series per instance).
    /// </summary>
    public static void ObserveFleet(State.HealthMonitor monitor)
    {
        Meter.CreateObservableGauge("controlplane.fleet.instances", () =>
            monitor.Targets.GroupBy(t => (t.App, t.State)).Select(g => new Measurement<long>(g.Count(),
                new("app", g.Key.App), new("state", g.Key.State.ToString().ToLowerInvariant()))),
            description: "Instances per app and health state.");
        Meter.CreateObservableGauge("controlplane.readyset.size", () =>
            monitor.Targets.GroupBy(t => t.App).Select(g => new Measurement<long>(g.Count(t => t.Ready), new KeyValuePair<string, object?>("app", g.Key))),
            description: "Instances in each app's ready set.");
        Meter.CreateObservableGauge("controlplane.probe.latency", () =>
            monitor.Targets.Where(t => t.LastRoundLatency is not null).Select(t => new Measurement<double>(t.LastRoundLatency!.Value.TotalSeconds,
                new("app", t.App), new("instance", t.InstanceId))),
            unit: "s", description: "Latency of each instance's latest probe round.");
    }
}
