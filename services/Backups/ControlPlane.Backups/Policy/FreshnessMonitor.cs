using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Backups.Policy;

/// <summary>
/// Judges each enabled policy's freshness: stale when the newest successful backup (or, with none, the moment the
/// policy was enabled) is older than freshness_max_age. A change is recorded once, with a BackupStale or BackupFresh
/// event; /readyz reads the record (BackupsHealthCheck), and the gauges report the age.
/// </summary>
public sealed class FreshnessMonitor(BackupsDbContext db, BackupsWriter writer, ILogger<FreshnessMonitor> logger)
{
    public async Task RunAsync(Lease lease, DateTime now, CancellationToken cancellationToken)
    {
        var policies = await db.Policies.AsNoTracking().Where(p => p.Enabled).ToListAsync(cancellationToken);
        BackupsTelemetry.ForgetFreshness(policies.Select(p => p.TargetDatabase));
        foreach (var record in policies)
        {
            var target = record.TargetDatabase;
            var maxAge = PolicyView.Freshness(PolicyView.Of(record, target));
            var last = await PolicyView.LastSuccessAsync(db, target, cancellationToken);
            var since = BackupMapping.Utc(last?.FinishedAt ?? record.EnabledAt ?? record.UpdatedAt);
            var stale = now - since > maxAge;
            BackupsTelemetry.ReportFreshness(target, now - since, stale);
            if (stale == record.StaleSince.HasValue)
            {
                continue;
            }
            await writer.WriteAsync(async write =>
            {
                var policy = await db.Policies.FirstAsync(p => p.TargetDatabase == target, cancellationToken);
                policy.StaleSince = stale ? write.Now : null;
                var view = await PolicyView.WithStatusAsync(db, policy, target, cancellationToken);
                var lastAt = last?.FinishedAt is { } at ? BackupMapping.Offset(at) : (DateTimeOffset?)null;
                write.Emit(view, rev => stale
                    ? new BackupStale(target, lastAt, last?.Id ?? "", maxAge, rev, write.NowOffset)
                    : new BackupFresh(target, lastAt ?? write.NowOffset, last?.Id ?? "", rev, write.NowOffset));
                return true;
            }, cancellationToken, lease);
            if (stale)
            {
                BackupsTelemetry.StaleEvents.Add(1, BackupsTelemetry.Tag("target", target));
                BackupsLog.Stale(logger, target, last?.FinishedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "none", maxAge);
            }
        }
    }
}
