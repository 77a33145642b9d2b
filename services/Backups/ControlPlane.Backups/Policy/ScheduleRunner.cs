using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.ServiceDefaults.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Policy;

/// <summary>
/// Queues the scheduled backups and verifications that are due, then plans each policy's next run from now
/// (runs missed while no replica held the lease are not made up, one catch-up run stands for them).
/// </summary>
public sealed class ScheduleRunner(BackupsDbContext db, BackupsWriter writer, EncryptionKeyRing keys, IOptions<BackupsOptions> options)
{
    public async Task RunAsync(Lease lease, DateTime now, CancellationToken cancellationToken)
    {
        var due = await db.Policies.AsNoTracking()
            .Where(p => p.Enabled && (p.NextBackupAt <= now || p.NextVerificationAt <= now))
            .Select(p => p.TargetDatabase).ToListAsync(cancellationToken);
        foreach (var target in due)
        {
            await writer.WriteAsync(async write =>
            {
                var record = await db.Policies.FirstAsync(p => p.TargetDatabase == target, cancellationToken);
                var policy = PolicyView.Of(record, target);
                if (record.NextBackupAt <= write.Now)
                {
                    await QueueBackupAsync(write, policy, cancellationToken);
                    record.NextBackupAt = CronSchedule.Next(policy.Schedule, policy.TimeZone, write.Now);
                }
                if (record.NextVerificationAt <= write.Now)
                {
                    await QueueVerificationAsync(write, target, cancellationToken);
                    record.NextVerificationAt = CronSchedule.Next(policy.VerificationSchedule, policy.TimeZone, write.Now);
                }
                return true;
            }, cancellationToken, lease);
        }
    }

    private async Task QueueBackupAsync(BackupsWrite write, BackupPolicy policy, CancellationToken cancellationToken)
    {
        var target = policy.TargetDatabase;
        if (await db.Backups.AnyAsync(b => b.TargetDatabase == target && (b.Status == BackupStatus.Pending || b.Status == BackupStatus.Running), cancellationToken))
        {
            return; // The previous run is still going: one at a time per target.
        }
        write.QueueBackup(target, BackupTrigger.Schedule, b =>
        {
            b.Kind = policy.Kind;
            b.Compression = options.Value.CompressionFor(policy.Compression);
            b.EncryptionKeyId = keys.ActiveKeyId ?? "";
            b.Initiator = "schedule";
            b.Description = $"scheduled: {policy.Schedule} ({policy.TimeZone})";
        });
    }

    /// <summary>Verifies the newest successful backup that was never verified, if any.</summary>
    private async Task QueueVerificationAsync(BackupsWrite write, string target, CancellationToken cancellationToken)
    {
        var newest = await db.Backups
            .Where(b => b.TargetDatabase == target && b.Status == BackupStatus.Succeeded && b.VerificationStatus == VerificationStatus.Unspecified)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
        if (newest is not null)
        {
            BackupCommands.QueueVerification(write, newest);
        }
    }
}
