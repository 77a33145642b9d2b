using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Leases;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Policy;

/// <summary>
/// Ends operations whose replica died: RUNNING work whose heartbeat is older than Backups:OrphanAfter is marked
/// failed (a verification: ERROR) with the reason, and a dead backup's partial folder is removed.
/// </summary>
public sealed class OrphanReaper(
    BackupsDbContext db, BackupsWriter writer, ArtifactRepository repository, IOptions<BackupsOptions> options, ILogger<OrphanReaper> logger)
{
    public async Task RunAsync(Lease lease, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = now - options.Value.OrphanAfter;
        var anyBackup = await db.Backups.AnyAsync(b => (b.Status == BackupStatus.Running || b.VerificationStatus == VerificationStatus.Running)
            && b.HeartbeatAt < cutoff, cancellationToken);
        var anyRestore = await db.Restores.AnyAsync(r => r.Status == RestoreStatus.Running && r.HeartbeatAt < cutoff, cancellationToken);
        if (!anyBackup && !anyRestore)
        {
            return;
        }
        var folders = await writer.WriteAsync(async write =>
        {
            var folders = new List<string>();
            foreach (var backup in await db.Backups.Where(b => b.Status == BackupStatus.Running && b.HeartbeatAt < cutoff).ToListAsync(cancellationToken))
            {
                BackupsLog.Orphaned(logger, "backup", backup.Id, backup.Owner);
                folders.Add(repository.FolderOf(backup.TargetDatabase, backup.Id));
                BackupCommands.Finish(write, backup, BackupStatus.Failed, Stopped(backup.Owner));
            }
            foreach (var backup in await db.Backups.Where(b => b.VerificationStatus == VerificationStatus.Running && b.HeartbeatAt < cutoff).ToListAsync(cancellationToken))
            {
                BackupsLog.Orphaned(logger, "verification of", backup.Id, backup.Owner);
                var error = Stopped(backup.Owner);
                backup.Owner = "";
                write.SetVerification(backup, new BackupVerification { Status = VerificationStatus.Error, Error = error });
            }
            foreach (var restore in await db.Restores.Where(r => r.Status == RestoreStatus.Running && r.HeartbeatAt < cutoff).ToListAsync(cancellationToken))
            {
                BackupsLog.Orphaned(logger, "restore", restore.Id, restore.Owner);
                restore.Status = RestoreStatus.Failed;
                restore.Error = Stopped(restore.Owner) + "; pg_restore runs in one transaction, so the target was not changed";
                restore.FinishedAt = write.Now;
                restore.Owner = "";
                await write.AnnounceAsync(restore, cancellationToken);
            }
            return folders;
        }, cancellationToken, lease);
        foreach (var folder in folders)
        {
            ArtifactRepository.Delete(folder);
        }
    }

    private static string Stopped(string owner) => $"replica {owner} stopped reporting while running it";
}
