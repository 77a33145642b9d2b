using ControlPlane.Api.V1;
using Grpc.Core;
using BackupsClient = ControlPlane.Api.V1.Backups.BackupsClient;

namespace ControlPlane.Backups.Tests;

/// <summary>Waiting for background work through the API, as a client would.</summary>
public static class Backups
{
    public static async Task<Backup> WaitAsync(this BackupsClient client, string backupId, Func<Backup, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Backup backup;
        do
        {
            backup = await client.GetBackupAsync(new GetBackupRequest { BackupId = backupId });
            if (until(backup))
            {
                return backup;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"backup {backupId} is still {backup.Status} (verification {backup.Verification?.Status}): {backup.Error}");
    }

    public static Task<Backup> FinishedAsync(this BackupsClient client, string backupId) =>
        client.WaitAsync(backupId, b => b.Status is not (BackupStatus.Pending or BackupStatus.Running));

    public static Task<Backup> VerifiedAsync(this BackupsClient client, string backupId) =>
        client.WaitAsync(backupId, b => b.Verification?.Status is VerificationStatus.Passed or VerificationStatus.Failed or VerificationStatus.Error);

    /// <summary>Takes a backup and waits until it finished.</summary>
    public static async Task<Backup> BackUpAsync(this BackupsClient client, string target = "", BackupKind kind = BackupKind.Database,
        BackupCompression compression = BackupCompression.Unspecified)
    {
        var created = await client.CreateBackupAsync(new CreateBackupRequest { TargetDatabase = target, Kind = kind, Compression = compression });
        return await client.FinishedAsync(created.Id);
    }

    public static async Task<Restore> RestoreAsync(this BackupsClient client, string backupId, string target, bool dryRun = false)
    {
        var restore = await client.RestoreBackupAsync(new RestoreBackupRequest
        {
            BackupId = backupId, TargetDatabase = target, Confirm = target, DryRun = dryRun, Initiator = "test",
        });
        // Followed through WatchBackups, from just before the restore was queued.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var watch = client.WatchBackups(new WatchBackupsRequest { BackupId = backupId, FromRevision = restore.Revision - 1 },
            cancellationToken: timeout.Token);
        await foreach (var evt in watch.ResponseStream.ReadAllAsync(timeout.Token))
        {
            if (evt.Restore?.Id == restore.Id && evt.Restore.Status is RestoreStatus.Succeeded or RestoreStatus.Failed)
            {
                return evt.Restore;
            }
        }
        throw new TimeoutException($"restore {restore.Id} did not finish");
    }
}
