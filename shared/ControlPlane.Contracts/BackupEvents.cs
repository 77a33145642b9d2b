namespace ControlPlane.Contracts;

/// <summary>
/// Command (one Backups replica handles it): take a backup. <see cref="Kind"/> is "database" (default), "config"
/// or "full"; <see cref="Compression"/> "none", "gzip", "zstd" or empty for the configured default. A retried
/// command with the same <see cref="RequestId"/> (or, when empty, the same message id) starts no second backup.
/// </summary>
public sealed record CreateBackup(
    string TargetDatabase,
    string Kind = "",
    string Compression = "",
    bool Verify = false,
    bool Pinned = false,
    string Initiator = "",
    string Description = "",
    IReadOnlyDictionary<string, string>? Labels = null,
    string RequestId = "");

/// <summary>Every Backups event: lets a replica react to "something changed at revision N".</summary>
public interface IBackupEvent
{
    string TargetDatabase { get; }
    long Revision { get; }
}

public sealed record BackupQueued(
    string BackupId, string TargetDatabase, string Kind, string Trigger, string RequestId,
    IReadOnlyDictionary<string, string> Labels, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

public sealed record BackupStarted(string BackupId, string TargetDatabase, string Replica, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

public sealed record BackupCompleted(
    string BackupId, string TargetDatabase, string Kind, string ArtifactUri, long SizeBytes, string Sha256,
    TimeSpan Duration, string Trigger, string RequestId, IReadOnlyDictionary<string, string> Labels,
    long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

public sealed record BackupFailed(
    string BackupId, string TargetDatabase, string Reason, string Trigger, string RequestId,
    IReadOnlyDictionary<string, string> Labels, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

public sealed record BackupCancelled(string BackupId, string TargetDatabase, string Reason, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

/// <summary>The artifact was removed; <see cref="Reason"/> is "retention" or the operator's.</summary>
public sealed record BackupDeleted(string BackupId, string TargetDatabase, string Reason, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

/// <summary>
/// A verification was queued, started or finished. <see cref="Status"/>: "pending", "running", "passed",
/// "failed" (restored but different from the manifest) or "error" (could not be checked).
/// </summary>
public sealed record BackupVerificationChanged(
    string BackupId, string TargetDatabase, string Status, int Mismatches, string Error, TimeSpan RestoreDuration,
    long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

/// <summary>A restore was queued, started or finished. <see cref="Status"/>: "pending", "running", "succeeded", "failed".</summary>
public sealed record RestoreChanged(
    string RestoreId, string BackupId, string TargetDatabase, string Status, bool DryRun, string SafetyBackupId, string Error,
    long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

public sealed record BackupPolicyChanged(string TargetDatabase, bool Enabled, long Generation, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

/// <summary>No successful backup of the target within its policy's freshness limit. Sent once per stale period.</summary>
public sealed record BackupStale(
    string TargetDatabase, DateTimeOffset? LastSuccessAt, string LastSuccessBackupId, TimeSpan FreshnessMaxAge,
    long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

/// <summary>A stale target has a fresh successful backup again.</summary>
public sealed record BackupFresh(
    string TargetDatabase, DateTimeOffset LastSuccessAt, string LastSuccessBackupId, long Revision, DateTimeOffset OccurredAt) : IBackupEvent;

/// <summary>
/// Live progress of an operation (at most one a second each), published straight to the bus (not through the
/// outbox: it is not stored) so watchers on every replica see it. <see cref="Operation"/>: "create", "verify",
/// "restore"; <see cref="Phase"/> the API's phase name, e.g. "dumping".
/// </summary>
public sealed record BackupProgressed(
    string Replica, string Operation, string BackupId, string RestoreId, string TargetDatabase, string Phase,
    long BytesDone, long BytesTotal, int TablesDone, int TablesTotal, DateTimeOffset OccurredAt);
