using ControlPlane.Api.V1;
using Grpc.Core;

namespace ControlPlane.Rollouts.Driving;

/// <summary>
/// backup_before: asks Backups for a backup that is verified (restored into a scratch database and checked) before
/// any instance is touched. The request id is derived from the rollout, so asking again on every pass (or after a
/// restart) finds the same backup instead of taking another.
/// </summary>
public sealed class BackupGate(FleetClients fleet)
{
    /// <returns>The verified backup's id; or a failure; or neither while the backup is still running.</returns>
    public async Task<(string? BackupId, string? Failure)> TakeAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        Backup backup;
        try
        {
            backup = await fleet.Backups.CreateBackupAsync(new CreateBackupRequest
            {
                Verify = true,
                Initiator = $"rollout {rollout.Id}",
                Description = $"before rolling {rollout.App} out to {rollout.Target.Version}",
                RequestId = $"{rollout.Id}-backup",
            }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        }
        catch (RpcException ex)
        {
            return (null, $"Backups answered {ex.StatusCode}: {ex.Status.Detail}");
        }
        return backup.Status switch
        {
            BackupStatus.Failed or BackupStatus.Cancelled or BackupStatus.Deleted => (null, $"backup {backup.Id} {backup.Status}: {backup.Error}"),
            BackupStatus.Succeeded => backup.Verification?.Status switch
            {
                VerificationStatus.Passed => (backup.Id, null),
                VerificationStatus.Failed or VerificationStatus.Error => (null, $"backup {backup.Id} did not verify: {backup.Verification.Status}"),
                _ => (null, null),
            },
            _ => (null, null),
        };
    }
}
