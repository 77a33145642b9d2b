using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Hosting;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Operations;

public enum WorkKind
{
    Backup,
    Verification,
    Restore,
}

public sealed record WorkItem(WorkKind Kind, string Id);

/// <summary>
/// Hands queued work to this replica: restores first (an operator is waiting), then backups, then verifications.
/// A claim is a write under the event log's revision lock, so two replicas never claim the same item.
/// </summary>
public sealed class OperationClaims(BackupsDbContext db, BackupsWriter writer, IOptions<ControlPlaneOptions> host)
{
    public async Task<WorkItem?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        // A cheap look first, so an idle replica's poll takes no lock.
        if (!await db.Restores.AnyAsync(r => r.Status == RestoreStatus.Pending, cancellationToken)
            && !await db.Backups.AnyAsync(b => b.Status == BackupStatus.Pending
                || (b.VerificationStatus == VerificationStatus.Pending && b.Status == BackupStatus.Succeeded), cancellationToken))
        {
            return null;
        }
        var me = host.Value.InstanceId;
        return await writer.WriteAsync(async write =>
        {
            var restore = await db.Restores.Where(r => r.Status == RestoreStatus.Pending).OrderBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            if (restore is not null)
            {
                restore.Status = RestoreStatus.Running;
                restore.Owner = me;
                restore.StartedAt = restore.HeartbeatAt = write.Now;
                await write.AnnounceAsync(restore, cancellationToken);
                return new WorkItem(WorkKind.Restore, restore.Id);
            }
            var backup = await db.Backups.Where(b => b.Status == BackupStatus.Pending).OrderBy(b => b.Id).FirstOrDefaultAsync(cancellationToken);
            if (backup is not null)
            {
                backup.Status = BackupStatus.Running;
                backup.Owner = me;
                backup.StartedAt = backup.HeartbeatAt = write.Now;
                write.Emit(BackupEventType.BackupChanged, backup, rev => new BackupStarted(backup.Id, backup.TargetDatabase, me, rev, write.NowOffset));
                return new WorkItem(WorkKind.Backup, backup.Id);
            }
            var verify = await db.Backups.Where(b => b.VerificationStatus == VerificationStatus.Pending && b.Status == BackupStatus.Succeeded)
                .OrderBy(b => b.Id).FirstOrDefaultAsync(cancellationToken);
            if (verify is not null)
            {
                var verification = BackupMapping.VerificationOf(verify);
                verification.Status = VerificationStatus.Running;
                verify.Owner = me;
                verify.HeartbeatAt = write.Now;
                write.SetVerification(verify, verification);
                return new WorkItem(WorkKind.Verification, verify.Id);
            }
            return null;
        }, cancellationToken);
    }
}
