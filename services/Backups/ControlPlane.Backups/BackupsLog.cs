using Microsoft.Extensions.Logging;

namespace ControlPlane.Backups;

/// <summary>Structured log events of the Backups service. Never a connection string or a key.</summary>
internal static partial class BackupsLog
{
    [LoggerMessage(4001, LogLevel.Information, "Backup {BackupId} of {Target} succeeded: {Bytes} bytes in {Duration}")]
    public static partial void BackupSucceeded(ILogger logger, string backupId, string target, long bytes, TimeSpan duration);

    [LoggerMessage(4002, LogLevel.Warning, "Backup {BackupId} of {Target} failed: {Reason}")]
    public static partial void BackupFailed(ILogger logger, string backupId, string target, string reason);

    [LoggerMessage(4003, LogLevel.Information, "Verification of {BackupId}: {Result} ({Detail})")]
    public static partial void Verified(ILogger logger, string backupId, string result, string detail);

    [LoggerMessage(4004, LogLevel.Information, "Restore {RestoreId} of {BackupId} into {Target}: {Result} {Detail}")]
    public static partial void Restored(ILogger logger, string restoreId, string backupId, string target, string result, string detail);

    [LoggerMessage(4005, LogLevel.Warning, "Backups of {Target} are stale: newest successful backup {LastSuccess}, limit {MaxAge}")]
    public static partial void Stale(ILogger logger, string target, string lastSuccess, TimeSpan maxAge);

    [LoggerMessage(4006, LogLevel.Information, "Retention deleted backup {BackupId} of {Target}")]
    public static partial void Expired(ILogger logger, string backupId, string target);

    [LoggerMessage(4007, LogLevel.Warning, "{Operation} {Id} was left running by replica {Owner}, which stopped reporting: marked failed")]
    public static partial void Orphaned(ILogger logger, string operation, string id, string owner);

    [LoggerMessage(4008, LogLevel.Error, "Operation {Id} failed unexpectedly")]
    public static partial void OperationCrashed(ILogger logger, Exception exception, string id);

    [LoggerMessage(4009, LogLevel.Warning, "Removing scratch database {Name} failed: {Reason}")]
    public static partial void ScratchNotDropped(ILogger logger, string name, string reason);
}
