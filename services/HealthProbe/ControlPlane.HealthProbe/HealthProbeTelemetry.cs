using System.Diagnostics.Metrics;

namespace ControlPlane.HealthProbe;

/// <summary>The HealthProbe's Meter: names are constants so registration and use cannot disagree.</summary>
public static class HealthProbeTelemetry
{
    public const string MeterName = "ControlPlane.HealthProbe";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Probe rounds finished, tagged with their verdict (pass, degraded, fail).</summary>
    public static readonly Counter<long> Rounds = Meter.CreateCounter<long>("controlplane.probe.rounds", description: "Probe rounds finished.");

    public static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>(
        "controlplane.probe.round.duration", unit: "s", description: "How long a probe round took.");
}
