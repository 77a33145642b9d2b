using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Engines;
using ControlPlane.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Operations;

/// <summary>
/// Restores a claimed (RUNNING) restore: checks the artifact (SHA-256, key, server version), takes a safety backup
/// of the target unless told not to, then overwrites the target in one transaction. A dry run stops after the checks.
/// </summary>
public sealed class RestoreRunner(
    BackupsDbContext db,
    BackupsWriter writer,
    BackupTargets targets,
    EncryptionKeyRing keys,
    BackupRunner backups,
    ProgressHub hub,
    IOptions<ControlPlaneOptions> host,
    ILogger<RestoreRunner> logger)
{
    public async Task<RestoreStatus> RunAsync(string restoreId, RunningOperations.Operation operation)
    {
        var restore = await db.Restores.AsNoTracking().FirstAsync(r => r.Id == restoreId, operation.Token);
        var backup = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == restore.BackupId, operation.Token);
        using var activity = BackupsTelemetry.Source.StartActivity("backup restore", ActivityKind.Internal, restore.TraceParent);
        activity?.SetTag("backup.id", backup.Id);
        activity?.SetTag("restore.target", restore.TargetDatabase);
        var progress = new ProgressReporter(hub, BackupOperation.Restore, restore.TargetDatabase, backup.Id, restore.Id);
        using var reporting = new CancellationTokenSource();
        var reporter = progress.RunAsync(reporting.Token);
        var started = Stopwatch.GetTimestamp();
        string error;
        try
        {
            await RestoreAsync(restore, backup, progress, operation);
            BackupsTelemetry.RestoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                BackupsTelemetry.Tag("target", restore.TargetDatabase), BackupsTelemetry.Tag("purpose", restore.DryRun ? "dry-run" : "restore"));
            error = "";
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            error = $"cancelled ({operation.CancelReason}); the restore runs in one transaction, so the target was not changed";
        }
        catch (Exception ex)
        {
            error = BackupRunner.Reason(ex);
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
        return await EndAsync(restoreId, error);
    }

    private async Task RestoreAsync(RestoreRecord restore, BackupRecord backup, ProgressReporter progress, RunningOperations.Operation operation)
    {
        var cancellationToken = operation.Token;
        var target = targets.Find(restore.TargetDatabase)
            ?? throw new BackupFailedException($"target '{restore.TargetDatabase}' is no longer configured");
        var engine = targets.EngineFor(target);
        var manifest = BackupMapping.ManifestOf(backup);
        var folder = ArtifactRepository.FolderOfUri(backup.ArtifactUri);

        progress.Phase(BackupPhase.Comparing);
        var damaged = await ManifestComparer.CheckFilesAsync(folder, manifest, cancellationToken);
        if (damaged.Count > 0)
        {
            throw new BackupFailedException(string.Join("; ", damaged.Select(ManifestComparer.Describe)));
        }
        var dump = manifest.Files[0];
        var serverVersion = await engine.ServerVersionAsync(target, cancellationToken);
        if (target.EngineName == "postgresql" && serverVersion is not null && Major(serverVersion) < Major(manifest.SourceServerVersion))
        {
            throw new BackupFailedException(
                $"the backup comes from PostgreSQL {manifest.SourceServerVersion}; target '{target.Name}' runs the older {serverVersion}");
        }
        await using (var check = await ArtifactFiles.OpenAsync(Path.Combine(folder, dump.Path), keys, cancellationToken))
        {
            // Opening proves the key; a dry run also reads it through, so every chunk is authenticated.
            if (restore.DryRun)
            {
                await check.Plain.CopyToAsync(Stream.Null, 1 << 20, cancellationToken);
                return;
            }
        }
        if (!restore.SkipSafetyBackup && serverVersion is not null)
        {
            progress.Phase(BackupPhase.Dumping);
            var safetyId = await StartSafetyBackupAsync(restore, target.Name);
            if (await backups.RunAsync(safetyId, operation) != BackupStatus.Succeeded)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var reason = (await db.Backups.AsNoTracking().FirstAsync(b => b.Id == safetyId, CancellationToken.None)).Error;
                throw new BackupFailedException($"the safety backup {safetyId} of '{target.Name}' failed, so nothing was restored: {reason}");
            }
        }
        await using var artifact = await ArtifactFiles.OpenAsync(Path.Combine(folder, dump.Path), keys, cancellationToken);
        progress.Phase(BackupPhase.Restoring, () => artifact.Stored.Bytes, dump.SizeBytes);
        await engine.RestoreAsync(target, artifact.Plain, overwrite: true, progress, cancellationToken);
    }

    /// <summary>Creates the safety backup already RUNNING under this replica: it runs inline, not through the queue.</summary>
    private Task<string> StartSafetyBackupAsync(RestoreRecord restore, string target) =>
        writer.WriteAsync(async write =>
        {
            var safety = write.QueueBackup(target, BackupTrigger.PreRestore, b =>
            {
                b.Initiator = $"restore {restore.Id}";
                b.Description = $"safety backup before restoring {restore.BackupId}";
                b.Status = BackupStatus.Running;
                b.Owner = host.Value.InstanceId;
                b.StartedAt = write.Now;
                b.HeartbeatAt = write.Now;
            });
            var record = await db.Restores.FirstAsync(r => r.Id == restore.Id);
            record.SafetyBackupId = safety.Id;
            await write.AnnounceAsync(record, CancellationToken.None);
            return safety.Id;
        }, CancellationToken.None);

    private Task<RestoreStatus> EndAsync(string restoreId, string error) =>
        writer.WriteAsync(async write =>
        {
            var restore = await db.Restores.FirstAsync(r => r.Id == restoreId);
            if (restore.Status != RestoreStatus.Running || restore.Owner != host.Value.InstanceId)
            {
                return restore.Status;
            }
            restore.Status = error.Length == 0 ? RestoreStatus.Succeeded : RestoreStatus.Failed;
            restore.Error = error;
            restore.FinishedAt = write.Now;
            restore.Owner = "";
            await write.AnnounceAsync(restore, CancellationToken.None);
            var result = BackupMapping.Word(restore.Status);
            BackupsTelemetry.Restores.Add(1, BackupsTelemetry.Tag("target", restore.TargetDatabase), BackupsTelemetry.Tag("result", result));
            BackupsLog.Restored(logger, restore.Id, restore.BackupId, restore.TargetDatabase, result, error);
            return restore.Status;
        }, CancellationToken.None);

    private static int Major(string version) => int.TryParse(version.Split('.')[0], out var major) ? major : 0;
}
