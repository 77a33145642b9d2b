using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Domain;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Backups.Policy;

/// <summary>A target's policy as the API shows it: as set, with defaults filled in, and its status.</summary>
public static class PolicyView
{
    public static BackupPolicy Defaults(string target) => new()
    {
        TargetDatabase = target,
        TimeZone = "UTC",
        Kind = BackupKind.Database,
        Compression = BackupCompression.Unspecified,
        Retention = new BackupRetention(),
        FreshnessMaxAge = Duration.FromTimeSpan(Limits.DefaultFreshness),
    };

    /// <summary>The stored policy of a record, or the defaults for a target without one.</summary>
    public static BackupPolicy Of(PolicyRecord? record, string target) =>
        record is null || record.Policy.Length == 0 ? Defaults(target) : BackupPolicy.Parser.ParseFrom(record.Policy);

    public static TimeSpan Freshness(BackupPolicy policy) =>
        policy.FreshnessMaxAge?.ToTimeSpan() is { } age && age > TimeSpan.Zero ? age : Limits.DefaultFreshness;

    public static async Task<BackupPolicy> WithStatusAsync(BackupsDbContext db, PolicyRecord? record, string target,
        CancellationToken cancellationToken)
    {
        var policy = Of(record, target);
        var last = await LastSuccessAsync(db, target, cancellationToken);
        policy.Status = new BackupPolicyStatus
        {
            NextBackupAt = BackupMapping.Time(record?.NextBackupAt),
            NextVerificationAt = BackupMapping.Time(record?.NextVerificationAt),
            LastSuccessAt = BackupMapping.Time(last?.FinishedAt),
            LastSuccessBackupId = last?.Id ?? "",
            Stale = record?.StaleSince is not null,
            StaleSince = BackupMapping.Time(record?.StaleSince),
        };
        policy.UpdatedAt = BackupMapping.Time(record?.UpdatedAt);
        policy.Generation = record?.Generation ?? 0;
        return policy;
    }

    public static Task<BackupRecord?> LastSuccessAsync(BackupsDbContext db, string target, CancellationToken cancellationToken) =>
        db.Backups.AsNoTracking()
            .Where(b => b.TargetDatabase == target && b.Status == BackupStatus.Succeeded)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
}
