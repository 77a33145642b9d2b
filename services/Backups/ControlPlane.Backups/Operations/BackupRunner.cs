using System.Diagnostics;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Artifacts;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Engines;
using ControlPlane.Backups.Policy;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Database;
using ControlPlane.ServiceDefaults.Health;
using ControlPlane.ServiceDefaults.Hosting;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Backups.Operations;

/// <summary>
/// Takes a claimed (RUNNING) backup: dumps the database and/or collects the fleet configuration into the backup's
/// folder, writes manifest.json, and records SUCCEEDED — or FAILED/CANCELLED with the reason, removing what was
/// written. Never throws for a failed backup: the service stays up and the record says why.
/// </summary>
public sealed class BackupRunner(
    BackupsDbContext db,
    BackupsWriter writer,
    BackupTargets targets,
    ArtifactRepository repository,
    EncryptionKeyRing keys,
    FleetConfigCollector fleet,
    ProgressHub hub,
    DatabaseStatus databaseStatus,
    IOptions<ControlPlaneOptions> host,
    ILogger<BackupRunner> logger)
{
    public async Task<BackupStatus> RunAsync(string backupId, RunningOperations.Operation operation)
    {
        var backup = await db.Backups.AsNoTracking().FirstAsync(b => b.Id == backupId, operation.Token);
        using var activity = BackupsTelemetry.Source.StartActivity("backup create", ActivityKind.Internal, backup.TraceParent);
        activity?.SetTag("backup.id", backup.Id);
        activity?.SetTag("backup.target", backup.TargetDatabase);
        var progress = new ProgressReporter(hub, BackupOperation.Create, backup.TargetDatabase, backup.Id);
        using var reporting = new CancellationTokenSource();
        var reporter = progress.RunAsync(reporting.Token);
        var folder = repository.FolderOf(backup.TargetDatabase, backup.Id);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var target = targets.Find(backup.TargetDatabase)
                ?? throw new BackupFailedException($"target '{backup.TargetDatabase}' is no longer configured");
            Directory.CreateDirectory(folder);
            var manifest = await TakeAsync(backup, target, folder, progress, operation.Token);
            manifest.Duration = Duration.FromTimeSpan(Stopwatch.GetElapsedTime(started));
            progress.Phase(BackupPhase.Finalizing);
            return await SucceedAsync(backupId, folder, manifest);
        }
        catch (Exception ex)
        {
            ArtifactRepository.Delete(folder);
            var cancelled = ex is OperationCanceledException && operation.Token.IsCancellationRequested;
            var reason = cancelled ? operation.CancelReason ?? "cancelled" : Reason(ex);
            if (!cancelled && ex is not BackupFailedException)
            {
                BackupsLog.OperationCrashed(logger, ex, backupId);
            }
            return await EndAsync(backupId, cancelled ? BackupStatus.Cancelled : BackupStatus.Failed, reason);
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
    }

    /// <summary>An operator-readable reason: ours as written, a database's or tool's with its own words.</summary>
    public static string Reason(Exception ex) => ex switch
    {
        BackupFailedException or BackupKeyException or InvalidDataException => ex.Message,
        _ => ex.GetBaseException().Message,
    };

    private async Task<BackupManifest> TakeAsync(BackupRecord backup, DatabaseTarget target, string folder, ProgressReporter progress,
        CancellationToken cancellationToken)
    {
        var key = backup.EncryptionKeyId.Length == 0 ? null : keys.Find(backup.EncryptionKeyId)
            ?? throw new BackupFailedException($"encryption key '{backup.EncryptionKeyId}' is no longer configured");
        var keyId = key is null ? null : backup.EncryptionKeyId;
        var manifest = new BackupManifest { SourceEngine = target.EngineName, SnapshotAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        manifest.Tools.Add(new ToolVersion { Name = "controlplane-backups", Version = ApiHealthEndpoint.Version });
        if (backup.Kind is BackupKind.Database or BackupKind.Full)
        {
            var engine = targets.EngineFor(target);
            DumpResult? dump = null;
            var gzip = !engine.CompressesItself && backup.Compression == BackupCompression.Gzip;
            var written = await ArtifactFiles.WriteAsync(folder, engine.ArtifactName, gzip, keyId, key, async (plain, ct) =>
            {
                progress.Phase(BackupPhase.Dumping, () => plain.Bytes);
                dump = await engine.DumpAsync(target, backup.Compression, plain, progress, ct);
            }, cancellationToken);
            manifest.SourceServerVersion = dump!.ServerVersion;
            manifest.SourceDatabase = dump.DatabaseName;
            manifest.SchemaVersion = target.Name == BackupsOptions.OwnTarget
                ? string.Join(", ", databaseStatus.SchemaVersions.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))
                : "";
            manifest.Tables.AddRange(dump.Tables);
            manifest.ChecksumAlgorithm = dump.ChecksumAlgorithm;
            manifest.Tools.AddRange(dump.Tools);
            manifest.UncompressedBytes = written.PlainBytes;
            manifest.SnapshotAt = Timestamp.FromDateTime(dump.SnapshotAt);
            manifest.Files.Add(written.File);
        }
        if (backup.Kind is BackupKind.Config or BackupKind.Full)
        {
            progress.Phase(BackupPhase.CollectingConfig);
            var (file, items) = await fleet.WriteAsync(folder, keyId, key, cancellationToken);
            manifest.Files.Add(file);
            manifest.ConfigItems.AddRange(items);
        }
        return manifest;
    }

    private Task<BackupStatus> SucceedAsync(string backupId, string folder, BackupManifest manifest) =>
        writer.WriteAsync(async write =>
        {
            var backup = await db.Backups.FindAsync([backupId], CancellationToken.None);
            if (backup is null || !StillOurs(backup))
            {
                return backup?.Status ?? BackupStatus.Unspecified;
            }
            backup.Status = BackupStatus.Succeeded;
            backup.ArtifactUri = ArtifactRepository.UriOf(folder);
            backup.SizeBytes = manifest.Files.Sum(f => f.SizeBytes);
            backup.Sha256 = manifest.Files[0].Sha256;
            backup.Manifest = manifest.ToByteArray();
            backup.FinishedAt = write.Now;
            backup.Owner = "";
            backup.Error = "";
            backup.ExpiresAt = backup.Pinned ? null : await ExpiryAsync(backup.TargetDatabase, write.Now);
            var duration = manifest.Duration.ToTimeSpan();
            write.Emit(BackupEventType.BackupChanged, backup, rev => new BackupCompleted(backup.Id, backup.TargetDatabase,
                BackupMapping.Word(backup.Kind), backup.ArtifactUri, backup.SizeBytes, backup.Sha256, duration, BackupMapping.Word(backup.Trigger),
                backup.RequestId, BackupMapping.ReadLabels(backup.Labels), rev, write.NowOffset));
            if (backup.VerifyWhenDone)
            {
                BackupCommands.QueueVerification(write, backup);
            }
            // Beside the artifact, for disaster recovery without this database: what the backup holds and how to check it.
            await File.WriteAllTextAsync(Path.Combine(folder, ArtifactRepository.ManifestFile), JsonFormatter.Default.Format(backup.ToApi()));
            BackupsTelemetry.Backups.Add(1, Tags(backup, "succeeded"));
            BackupsTelemetry.BackupDuration.Record(duration.TotalSeconds, BackupsTelemetry.Tag("target", backup.TargetDatabase));
            BackupsTelemetry.BackupBytes.Add(backup.SizeBytes, BackupsTelemetry.Tag("target", backup.TargetDatabase));
            BackupsLog.BackupSucceeded(logger, backup.Id, backup.TargetDatabase, backup.SizeBytes, duration);
            return BackupStatus.Succeeded;
        }, CancellationToken.None);

    private Task<BackupStatus> EndAsync(string backupId, BackupStatus status, string reason) =>
        writer.WriteAsync(async write =>
        {
            var backup = await db.Backups.FindAsync([backupId], CancellationToken.None);
            if (backup is null || !StillOurs(backup))
            {
                return backup?.Status ?? BackupStatus.Unspecified;
            }
            BackupCommands.Finish(write, backup, status, reason);
            BackupsTelemetry.Backups.Add(1, Tags(backup, BackupMapping.Word(status)));
            BackupsLog.BackupFailed(logger, backup.Id, backup.TargetDatabase, reason);
            return status;
        }, CancellationToken.None);

    /// <summary>Still RUNNING under this replica: the orphan reaper may have failed it while this replica was cut off.</summary>
    private bool StillOurs(BackupRecord backup) => backup.Status == BackupStatus.Running && backup.Owner == host.Value.InstanceId;

    private async Task<DateTime?> ExpiryAsync(string target, DateTime now)
    {
        var record = await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.TargetDatabase == target);
        var maxAge = PolicyView.Of(record, target).Retention?.MaxAge?.ToTimeSpan();
        return record is { Enabled: true } && maxAge > TimeSpan.Zero ? now + maxAge.Value : null;
    }

    private static KeyValuePair<string, object?>[] Tags(BackupRecord backup, string result) =>
    [
        BackupsTelemetry.Tag("target", backup.TargetDatabase),
        BackupsTelemetry.Tag("kind", BackupMapping.Word(backup.Kind)),
        BackupsTelemetry.Tag("result", result),
    ];
}
