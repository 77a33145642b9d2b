using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Engines;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Grpc;
using ControlPlane.ServiceDefaults.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Domain;

/// <summary>Creating, deleting and verifying backups. Requests arrive validated (see BackupsValidation); the work itself is queued.</summary>
public sealed class BackupCommands(
    BackupsDbContext db,
    BackupsWriter writer,
    BackupTargets targets,
    EncryptionKeyRing keys,
    BackupQueries queries,
    IOptions<BackupsOptions> options)
{
    public async Task<Backup> CreateAsync(CreateBackupRequest request, BackupTrigger trigger, CancellationToken cancellationToken)
    {
        var target = targets.Require(request.TargetDatabase, "target_database");
        var compression = options.Value.CompressionFor(request.Compression);
        if (request.Kind != BackupKind.Config && await UnsupportedAsync(target, compression, cancellationToken) is { } why)
        {
            RpcErrors.ThrowInvalidArgument("compression", why);
        }
        var id = await writer.WriteAsync(async write =>
        {
            const string method = "CreateBackup";
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, Backup.Parser, cancellationToken) is { } replay)
            {
                return replay.Id;
            }
            var backup = write.QueueBackup(target.Name, trigger, b =>
            {
                b.Kind = request.Kind == BackupKind.Unspecified ? BackupKind.Database : request.Kind;
                b.Compression = compression;
                b.EncryptionKeyId = keys.ActiveKeyId ?? "";
                b.VerifyWhenDone = request.Verify;
                b.Pinned = request.Pinned;
                b.Initiator = request.Initiator;
                b.Description = request.Description;
                b.Labels = BackupMapping.WriteLabels(request.Labels);
                b.RequestId = request.RequestId;
            });
            IdempotentRequests.Remember(db, request.RequestId, method, backup.ToApi());
            return backup.Id;
        }, cancellationToken);
        return await queries.GetAsync(id, cancellationToken);
    }

    /// <summary>Cancels a queued or running backup; removes the artifact of a finished one (the record stays, DELETED).</summary>
    public async Task<Backup> DeleteAsync(DeleteBackupRequest request, CancellationToken cancellationToken)
    {
        string? folder = null;
        var result = await writer.WriteAsync(async write =>
        {
            const string method = "DeleteBackup";
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, Backup.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var backup = await db.Backups.FindAsync([request.BackupId], cancellationToken)
                ?? RpcErrors.ThrowNotFound<BackupRecord>("backup", request.BackupId);
            if (backup.Pinned && !request.Force)
            {
                RpcErrors.ThrowFailedPrecondition($"backup '{backup.Id}' is pinned: delete it with force, or unpin it first");
            }
            if (await db.Restores.AnyAsync(r => r.BackupId == backup.Id && (r.Status == RestoreStatus.Pending || r.Status == RestoreStatus.Running), cancellationToken))
            {
                RpcErrors.ThrowFailedPrecondition($"backup '{backup.Id}' is being restored; delete it once the restore finished");
            }
            if (backup.VerificationStatus is VerificationStatus.Pending or VerificationStatus.Running)
            {
                RpcErrors.ThrowFailedPrecondition($"backup '{backup.Id}' is being verified; delete it once the verification finished");
            }
            switch (backup.Status)
            {
                case BackupStatus.Pending:
                    Finish(write, backup, BackupStatus.Cancelled, "cancelled before it started");
                    break;
                case BackupStatus.Running:
                    // Its runner sees the request at its next heartbeat, stops and records CANCELLED.
                    backup.CancelRequested = true;
                    break;
                case BackupStatus.Succeeded or BackupStatus.Failed or BackupStatus.Cancelled:
                    folder = MarkDeleted(write, backup, "deleted by operator");
                    break;
            }
            var response = backup.ToApi();
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);
        // After commit: a failure here leaves files without a live record, never a live record without files.
        if (folder is not null)
        {
            ArtifactRepository.Delete(folder);
        }
        return result;
    }

    public Task<Backup> VerifyAsync(VerifyBackupRequest request, CancellationToken cancellationToken) =>
        writer.WriteAsync(async write =>
        {
            const string method = "VerifyBackup";
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, Backup.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var backup = await db.Backups.FindAsync([request.BackupId], cancellationToken)
                ?? RpcErrors.ThrowNotFound<BackupRecord>("backup", request.BackupId);
            if (backup.Status != BackupStatus.Succeeded)
            {
                RpcErrors.ThrowFailedPrecondition($"only a SUCCEEDED backup can be verified; '{backup.Id}' is {backup.Status.ToString().ToUpperInvariant()}");
            }
            if (backup.VerificationStatus is not (VerificationStatus.Pending or VerificationStatus.Running))
            {
                QueueVerification(write, backup);
            }
            var response = backup.ToApi();
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);

    /// <summary>Marks a backup's verification PENDING for the worker (also used by the schedule and CreateBackup's verify).</summary>
    public static void QueueVerification(BackupsWrite write, BackupRecord backup)
    {
        var verification = BackupMapping.VerificationOf(backup);
        verification.Status = VerificationStatus.Pending;
        write.SetVerification(backup, verification);
    }

    /// <summary>Ends a backup FAILED or CANCELLED with the reason, and announces it.</summary>
    public static void Finish(BackupsWrite write, BackupRecord backup, BackupStatus status, string reason)
    {
        backup.Status = status;
        backup.Error = reason;
        backup.FinishedAt = write.Now;
        backup.Owner = "";
        write.Emit(BackupEventType.BackupChanged, backup, rev => status == BackupStatus.Cancelled
            ? new BackupCancelled(backup.Id, backup.TargetDatabase, reason, rev, write.NowOffset)
            : new BackupFailed(backup.Id, backup.TargetDatabase, reason, BackupMapping.Word(backup.Trigger), backup.RequestId,
                BackupMapping.ReadLabels(backup.Labels), rev, write.NowOffset));
    }

    /// <summary>Marks a finished backup DELETED; returns its folder, for the caller to remove after commit.</summary>
    public static string? MarkDeleted(BackupsWrite write, BackupRecord backup, string reason)
    {
        var folder = backup.ArtifactUri.Length > 0 ? ArtifactRepository.FolderOfUri(backup.ArtifactUri) : null;
        backup.Status = BackupStatus.Deleted;
        backup.ExpiresAt = null;
        write.Emit(BackupEventType.BackupChanged, backup, rev => new BackupDeleted(backup.Id, backup.TargetDatabase, reason, rev, write.NowOffset));
        return folder;
    }

    private async Task<string?> UnsupportedAsync(DatabaseTarget target, BackupCompression compression, CancellationToken cancellationToken)
    {
        try
        {
            return await targets.EngineFor(target).UnsupportedCompressionAsync(compression, cancellationToken);
        }
        catch (BackupFailedException ex)
        {
            return ex.Message;
        }
    }
}
