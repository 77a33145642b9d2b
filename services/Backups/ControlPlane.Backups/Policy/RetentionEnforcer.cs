using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Policy;

/// <summary>Applies each enabled policy's retention, and marks old failed and cancelled backups deleted. Part of the scheduler's round.</summary>
public sealed class RetentionEnforcer(BackupsDbContext db, BackupsWriter writer, IOptions<BackupsOptions> options, ILogger<RetentionEnforcer> logger)
{
    public async Task RunAsync(Lease lease, DateTime now, CancellationToken cancellationToken)
    {
        var expired = new List<string>();
        foreach (var record in await db.Policies.AsNoTracking().Where(p => p.Enabled).ToListAsync(cancellationToken))
        {
            var retention = PolicyView.Of(record, record.TargetDatabase).Retention ?? new BackupRetention();
            var candidates = await db.Backups.AsNoTracking()
                .Where(b => b.TargetDatabase == record.TargetDatabase && b.Status == BackupStatus.Succeeded)
                .Select(b => new RetentionPlanner.Candidate(b.Id, b.FinishedAt ?? b.CreatedAt, b.Pinned, b.VerificationStatus))
                .ToListAsync(cancellationToken);
            var maxAge = retention.MaxAge?.ToTimeSpan() is { } age && age > TimeSpan.Zero ? age : (TimeSpan?)null;
            expired.AddRange(RetentionPlanner.Plan(candidates, retention.KeepLast, maxAge, now));
        }
        var failedBefore = now - options.Value.FailedRetention;
        expired.AddRange(await db.Backups.AsNoTracking()
            .Where(b => (b.Status == BackupStatus.Failed || b.Status == BackupStatus.Cancelled) && b.FinishedAt < failedBefore && !b.Pinned)
            .Select(b => b.Id).ToListAsync(cancellationToken));
        if (expired.Count == 0)
        {
            return;
        }
        var folders = await writer.WriteAsync(async write =>
        {
            var folders = new List<string>();
            var busy = await db.Restores.Where(r => r.Status == RestoreStatus.Pending || r.Status == RestoreStatus.Running)
                .Select(r => r.BackupId).ToListAsync(cancellationToken);
            var backups = await db.Backups.Where(b => expired.Contains(b.Id)).ToListAsync(cancellationToken);
            foreach (var backup in backups.Where(b => b.Status is BackupStatus.Succeeded or BackupStatus.Failed or BackupStatus.Cancelled
                && b.VerificationStatus is not (VerificationStatus.Pending or VerificationStatus.Running) && !busy.Contains(b.Id)))
            {
                if (BackupCommands.MarkDeleted(write, backup, "retention") is { } folder)
                {
                    folders.Add(folder);
                }
                BackupsLog.Expired(logger, backup.Id, backup.TargetDatabase);
            }
            return folders;
        }, cancellationToken, lease);
        foreach (var folder in folders)
        {
            ArtifactRepository.Delete(folder);
        }
    }
}
