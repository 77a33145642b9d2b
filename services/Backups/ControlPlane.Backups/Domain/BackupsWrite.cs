using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.ServiceDefaults.EventLog;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Backups.Domain;

/// <summary>
/// One Backups write transaction: its time, and the events it announces — each change appended to the watchable
/// log (stream = target database, subject = backup id) and its bus message queued in the outbox, in the same
/// transaction as the change.
/// </summary>
public sealed class BackupsWrite(EventWrite<BackupsDbContext> write)
{
    public BackupsDbContext Db => write.Db;

    public DateTime Now => write.Now;

    public DateTimeOffset NowOffset => write.NowOffset;

    /// <summary>Stamps <paramref name="backup"/> with the next revision and records the change.</summary>
    public long Emit(BackupEventType type, BackupRecord backup, Func<long, object> busMessage)
    {
        var revision = write.Append(backup.TargetDatabase, backup.Id, (int)type, rev =>
        {
            backup.Revision = rev;
            return Event(rev, type, e => e.Backup = backup.ToApi());
        });
        write.Publish(busMessage(revision));
        return revision;
    }

    public long Emit(RestoreRecord restore, BackupRecord backup, Func<long, object> busMessage)
    {
        var revision = write.Append(restore.TargetDatabase, backup.Id, (int)BackupEventType.RestoreChanged, rev =>
        {
            restore.Revision = rev;
            return Event(rev, BackupEventType.RestoreChanged, e =>
            {
                e.Restore = restore.ToApi();
                e.Backup = backup.ToApi();
            });
        });
        write.Publish(busMessage(revision));
        return revision;
    }

    public long Emit(BackupPolicy policy, Func<long, object> busMessage)
    {
        var revision = write.Append(policy.TargetDatabase, PolicySubject(policy.TargetDatabase), (int)BackupEventType.PolicyChanged,
            rev => Event(rev, BackupEventType.PolicyChanged, e => e.Policy = policy));
        write.Publish(busMessage(revision));
        return revision;
    }

    /// <summary>Records a backup's verification (queued, running or its result) and announces it.</summary>
    public void SetVerification(BackupRecord backup, BackupVerification verification)
    {
        backup.VerificationStatus = verification.Status;
        backup.Verification = verification.ToByteArray();
        Emit(BackupEventType.VerificationChanged, backup, rev => new Contracts.BackupVerificationChanged(backup.Id, backup.TargetDatabase,
            BackupMapping.Word(verification.Status), verification.Mismatches.Count, verification.Error,
            verification.RestoreDuration?.ToTimeSpan() ?? TimeSpan.Zero, rev, NowOffset));
    }

    /// <summary>Announces a restore's change, with the backup it restores.</summary>
    public async Task AnnounceAsync(RestoreRecord restore, CancellationToken cancellationToken)
    {
        var backup = await Db.Backups.FindAsync([restore.BackupId], cancellationToken)
            ?? throw new InvalidOperationException($"restore {restore.Id} names backup {restore.BackupId}, which does not exist");
        Emit(restore, backup, rev => new Contracts.RestoreChanged(restore.Id, backup.Id, restore.TargetDatabase, BackupMapping.Word(restore.Status),
            restore.DryRun, restore.SafetyBackupId, restore.Error, rev, NowOffset));
    }

    /// <summary>
    /// Queues a new backup (PENDING) for the worker; <paramref name="build"/> fills in what was asked. Used by
    /// CreateBackup, the bus command, the schedule and restores' safety backups.
    /// </summary>
    public BackupRecord QueueBackup(string target, BackupTrigger trigger, Action<BackupRecord> build)
    {
        var backup = new BackupRecord
        {
            Id = BackupIds.NewBackup(Now),
            TargetDatabase = target,
            Kind = BackupKind.Database,
            Status = BackupStatus.Pending,
            Trigger = trigger,
            CreatedAt = Now,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };
        build(backup);
        Db.Backups.Add(backup);
        Emit(BackupEventType.BackupChanged, backup, rev => new Contracts.BackupQueued(backup.Id, target, BackupMapping.Word(backup.Kind),
            BackupMapping.Word(trigger), backup.RequestId, BackupMapping.ReadLabels(backup.Labels), rev, NowOffset));
        return backup;
    }

    public static string PolicySubject(string target) => "policy:" + target;

    private byte[] Event(long revision, BackupEventType type, Action<BackupEvent> fill)
    {
        var evt = new BackupEvent { Revision = revision, Type = type, OccurredAt = Timestamp.FromDateTime(Now) };
        fill(evt);
        return evt.ToByteArray();
    }
}
