using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Backups;

/// <summary>The Backups service's ActivitySource and Meter: what an operator watches about backups.</summary>
public static class BackupsTelemetry
{
    public const string Name = "ControlPlane.Backups";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Backups = Meter.CreateCounter<long>("controlplane.backups.completed",
        description: "Backups finished, by target, kind and result (succeeded, failed, cancelled).");

    public static readonly Histogram<double> BackupDuration = Meter.CreateHistogram<double>("controlplane.backups.duration", "s",
        "How long successful backups took.");

    public static readonly Counter<long> BackupBytes = Meter.CreateCounter<long>("controlplane.backups.bytes", "By",
        "Bytes of artifacts written by successful backups.");

    public static readonly Counter<long> Verifications = Meter.CreateCounter<long>("controlplane.backups.verifications",
        description: "Verifications finished, by target and result (passed, failed, error).");

    public static readonly Histogram<double> RestoreDuration = Meter.CreateHistogram<double>("controlplane.backups.restore_duration", "s",
        "Time to restore a backup, in verifications (scratch database) and restores.");

    public static readonly Counter<long> Restores = Meter.CreateCounter<long>("controlplane.backups.restores",
        description: "Restores finished, by target and result.");

    public static readonly Counter<long> StaleEvents = Meter.CreateCounter<long>("controlplane.backups.stale_events",
        description: "Times a target's backups went stale (BackupStale sent).");

    /// <summary>Per target: seconds since its newest successful backup, as last seen by the scheduler on this replica.</summary>
    private static readonly ConcurrentDictionary<string, (double AgeSeconds, bool Stale)> Freshness = new();

    static BackupsTelemetry()
    {
        Meter.CreateObservableGauge("controlplane.backups.last_success_age", () => Freshness.Select(f =>
            new Measurement<double>(f.Value.AgeSeconds, new KeyValuePair<string, object?>("target", f.Key))), "s",
            "Age of the newest successful backup per target with an enabled policy (reported by the scheduling replica).");
        Meter.CreateObservableGauge("controlplane.backups.stale", () => Freshness.Select(f =>
            new Measurement<int>(f.Value.Stale ? 1 : 0, new KeyValuePair<string, object?>("target", f.Key))),
            description: "1 while a target's newest successful backup is older than its policy's freshness limit.");
    }

    public static void ReportFreshness(string target, TimeSpan age, bool stale) => Freshness[target] = (age.TotalSeconds, stale);

    public static void ForgetFreshness(IEnumerable<string> keep)
    {
        var kept = keep.ToHashSet();
        foreach (var target in Freshness.Keys.Where(t => !kept.Contains(t)))
        {
            Freshness.TryRemove(target, out _);
        }
    }

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
