using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Engines;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Hosting;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Operations;

/// <summary>
/// Proves a backup restores: checks every file's SHA-256, restores the database into a scratch database, compares
/// each table's row count and checksum with the manifest, drops the scratch database, and records the result with
/// the restore time. PASSED or FAILED judge the backup; ERROR means it could not be judged (see the error).
/// </summary>
public sealed class VerifyRunner(
    BackupsDbContext db,
    BackupsWriter writer,
    BackupTargets targets,
    EncryptionKeyRing keys,
    ProgressHub hub,
    IOptions<BackupsOptions> options,
    IOptions<ControlPlaneOptions> host,
    ILogger<VerifyRunner> logger)
{
    public async Task<VerificationStatus> RunAsync(string backupId, RunningOperations.Operation operation)
    {
        var backup = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == backupId, operation.Token);
        using var activity = BackupsTelemetry.Source.StartActivity("backup verify", ActivityKind.Internal, backup.TraceParent);
        activity?.SetTag("backup.id", backup.Id);
        var progress = new ProgressReporter(hub, BackupOperation.Verify, backup.TargetDatabase, backup.Id);
        using var reporting = new CancellationTokenSource();
        var reporter = progress.RunAsync(reporting.Token);
        BackupVerification verification;
        try
        {
            verification = await CheckAsync(backup, progress, operation.Token);
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            // Interrupted by shutdown: queued again for another replica (or this one after restart).
            verification = operation.ShuttingDown
                ? new BackupVerification { Status = VerificationStatus.Pending }
                : new BackupVerification { Status = VerificationStatus.Error, Error = $"cancelled: {operation.CancelReason}" };
        }
        catch (Exception ex)
        {
            verification = new BackupVerification { Status = VerificationStatus.Error, Error = BackupRunner.Reason(ex) };
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
        verification.CheckedAt = Timestamp.FromDateTime(DateTime.UtcNow);
        return await RecordAsync(backupId, verification);
    }

    private async Task<BackupVerification> CheckAsync(BackupRecord backup, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var manifest = BackupMapping.ManifestOf(backup);
        var folder = ArtifactRepository.FolderOfUri(backup.ArtifactUri);
        progress.Phase(BackupPhase.Comparing);
        var mismatches = await ManifestComparer.CheckFilesAsync(folder, manifest, cancellationToken);
        var result = new BackupVerification();
        if (mismatches.Count == 0 && backup.Kind is BackupKind.Database or BackupKind.Full)
        {
            var failure = await RestoreAndCompareAsync(backup, manifest, folder, result, mismatches, progress, cancellationToken);
            if (failure is not null)
            {
                result.Status = VerificationStatus.Failed;
                result.Error = failure;
                return result;
            }
        }
        if (mismatches.Count == 0 && manifest.Files.FirstOrDefault(f => f.Path.StartsWith(FleetConfigCollector.FileName, StringComparison.Ordinal)) is { } config)
        {
            await using var artifact = await ArtifactFiles.OpenAsync(Path.Combine(folder, config.Path), keys, cancellationToken);
            mismatches.AddRange(ManifestComparer.CompareConfig(manifest.ConfigItems, FleetConfigCollector.ReadItems(artifact.Plain)));
        }
        result.Status = mismatches.Count == 0 ? VerificationStatus.Passed : VerificationStatus.Failed;
        result.Mismatches.AddRange(mismatches);
        result.Error = string.Join("; ", mismatches.Take(5).Select(ManifestComparer.Describe))
            + (mismatches.Count > 5 ? $"; and {mismatches.Count - 5} more" : "");
        return result;
    }

    /// <returns>Why the backup does not restore, or null when it restored (mismatches, if any, are added).</returns>
    private async Task<string?> RestoreAndCompareAsync(BackupRecord backup, BackupManifest manifest, string folder, BackupVerification result,
        List<VerificationMismatch> mismatches, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var target = targets.Find(backup.TargetDatabase)
            ?? throw new BackupFailedException($"target '{backup.TargetDatabase}' is no longer configured: its server hosts the scratch database");
        var engine = targets.EngineFor(target);
        var scratchName = BackupIds.ScratchName(options.Value.ScratchDatabasePrefix, backup.Id);
        DatabaseTarget scratch;
        try
        {
            scratch = await engine.CreateScratchAsync(target, scratchName, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new BackupFailedException($"scratch database {scratchName} could not be created: {BackupRunner.Reason(ex)}", ex);
        }
        try
        {
            var dump = manifest.Files[0];
            var started = Stopwatch.GetTimestamp();
            await using (var artifact = await ArtifactFiles.OpenAsync(Path.Combine(folder, dump.Path), keys, cancellationToken))
            {
                progress.Phase(BackupPhase.Restoring, () => artifact.Stored.Bytes, dump.SizeBytes);
                try
                {
                    await engine.RestoreAsync(scratch, artifact.Plain, overwrite: false, progress, cancellationToken);
                }
                catch (Exception ex) when (ex is BackupFailedException or InvalidDataException)
                {
                    return $"the backup does not restore: {ex.Message}";
                }
            }
            var restoreTime = Stopwatch.GetElapsedTime(started);
            result.RestoreDuration = Duration.FromTimeSpan(restoreTime);
            BackupsTelemetry.RestoreDuration.Record(restoreTime.TotalSeconds, BackupsTelemetry.Tag("target", backup.TargetDatabase),
                BackupsTelemetry.Tag("purpose", "verify"));
            progress.Phase(BackupPhase.Comparing);
            var restored = await engine.ChecksumAsync(scratch, cancellationToken);
            result.TablesChecked = manifest.Tables.Count;
            mismatches.AddRange(ManifestComparer.CompareTables(manifest.Tables, restored));
            return null;
        }
        finally
        {
            progress.Phase(BackupPhase.CleaningUp);
            try
            {
                await engine.DropScratchAsync(scratch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                BackupsLog.ScratchNotDropped(logger, scratchName, ex.GetBaseException().Message);
            }
        }
    }

    private Task<VerificationStatus> RecordAsync(string backupId, BackupVerification verification) =>
        writer.WriteAsync(async write =>
        {
            var backup = await db.Backups.FindAsync([backupId], CancellationToken.None);
            if (backup is null || backup.VerificationStatus != VerificationStatus.Running || backup.Owner != host.Value.InstanceId)
            {
                return backup?.VerificationStatus ?? VerificationStatus.Unspecified;
            }
            backup.Owner = "";
            write.SetVerification(backup, verification);
            var word = BackupMapping.Word(verification.Status);
            if (verification.Status != VerificationStatus.Pending)
            {
                BackupsTelemetry.Verifications.Add(1, BackupsTelemetry.Tag("target", backup.TargetDatabase), BackupsTelemetry.Tag("result", word));
                BackupsLog.Verified(logger, backup.Id, word, verification.Error.Length > 0 ? verification.Error : $"{verification.TablesChecked} tables");
            }
            return verification.Status;
        }, CancellationToken.None);
}
