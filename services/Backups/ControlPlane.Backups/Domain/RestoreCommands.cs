using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Idempotency;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Backups.Domain;

/// <summary>Queues restores, after checking everything that can be checked before touching the target.</summary>
public sealed class RestoreCommands(BackupsDbContext db, BackupsWriter writer, BackupTargets targets)
{
    public async Task<Restore> RestoreAsync(RestoreBackupRequest request, CancellationToken cancellationToken)
    {
        var target = targets.Require(request.TargetDatabase, "target_database");
        if (target.Name == BackupsOptions.OwnTarget)
        {
            RpcErrors.ThrowFailedPrecondition(
                "the control plane's own database cannot be overwritten under the running service (it would rewind its own state): " +
                "restore into another configured target, then point ConnectionStrings:ControlPlane at it");
        }
        return await writer.WriteAsync(async write =>
        {
            const string method = "RestoreBackup";
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, Restore.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var backup = await db.Backups.FindAsync([request.BackupId], cancellationToken)
                ?? RpcErrors.ThrowNotFound<BackupRecord>("backup", request.BackupId);
            if (backup.Status != BackupStatus.Succeeded)
            {
                RpcErrors.ThrowFailedPrecondition($"only a SUCCEEDED backup can be restored; '{backup.Id}' is {backup.Status.ToString().ToUpperInvariant()}");
            }
            if (backup.Kind == BackupKind.Config)
            {
                RpcErrors.ThrowFailedPrecondition($"'{backup.Id}' holds only the fleet configuration, which is re-applied with a rollout, not restored");
            }
            var engine = BackupMapping.ManifestOf(backup).SourceEngine;
            if (engine != target.EngineName)
            {
                RpcErrors.ThrowFailedPrecondition($"'{backup.Id}' is a {engine} backup; target '{target.Name}' is {target.EngineName}");
            }
            var busy = await db.Restores.AsNoTracking()
                .Where(r => r.TargetDatabase == target.Name && (r.Status == RestoreStatus.Pending || r.Status == RestoreStatus.Running))
                .Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            if (busy is not null)
            {
                RpcErrors.ThrowFailedPrecondition($"restore '{busy}' into '{target.Name}' has not finished yet");
            }
            var restore = new RestoreRecord
            {
                Id = BackupIds.NewRestore(write.Now),
                BackupId = backup.Id,
                TargetDatabase = target.Name,
                Status = RestoreStatus.Pending,
                DryRun = request.DryRun,
                SkipSafetyBackup = request.SkipSafetyBackup,
                Initiator = request.Initiator,
                Reason = request.Reason,
                CreatedAt = write.Now,
                RequestId = request.RequestId,
                TraceParent = System.Diagnostics.Activity.Current?.Id,
            };
            db.Restores.Add(restore);
            await write.AnnounceAsync(restore, cancellationToken);
            var response = restore.ToApi();
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);
    }
}
