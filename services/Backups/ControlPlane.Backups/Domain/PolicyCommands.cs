using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using ControlPlane.Backups.Policy;
using ControlPlane.Contracts;
using ControlPlane.ServiceDefaults.Idempotency;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Backups.Domain;

public sealed class PolicyCommands(BackupsDbContext db, BackupsWriter writer, BackupTargets targets)
{
    public async Task<BackupPolicy> GetAsync(string target, CancellationToken cancellationToken)
    {
        var name = targets.Require(target, "target_database").Name;
        var record = await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.TargetDatabase == name, cancellationToken);
        return await PolicyView.WithStatusAsync(db, record, name, cancellationToken);
    }

    /// <summary>Replaces a target's policy and plans its next scheduled backup and verification from now.</summary>
    public async Task<BackupPolicy> SetAsync(SetBackupPolicyRequest request, CancellationToken cancellationToken)
    {
        var name = targets.Require(request.Policy.TargetDatabase, "policy.target_database").Name;
        return await writer.WriteAsync(async write =>
        {
            const string method = "SetBackupPolicy";
            if (await IdempotentRequests.FindAsync(db, request.RequestId, method, BackupPolicy.Parser, cancellationToken) is { } replay)
            {
                return replay;
            }
            var record = await db.Policies.FindAsync([name], cancellationToken);
            if (record is null)
            {
                record = new PolicyRecord { TargetDatabase = name };
                db.Policies.Add(record);
            }
            var policy = Normalize(request.Policy, name);
            if (policy.Enabled && !record.Enabled)
            {
                record.EnabledAt = write.Now;
            }
            record.Enabled = policy.Enabled;
            record.Policy = policy.ToByteArray();
            record.NextBackupAt = policy.Enabled ? CronSchedule.Next(policy.Schedule, policy.TimeZone, write.Now) : null;
            record.NextVerificationAt = policy.Enabled ? CronSchedule.Next(policy.VerificationSchedule, policy.TimeZone, write.Now) : null;
            record.StaleSince = policy.Enabled ? record.StaleSince : null;
            record.UpdatedAt = write.Now;
            record.Generation++;
            var response = await PolicyView.WithStatusAsync(db, record, name, cancellationToken);
            write.Emit(response, rev => new BackupPolicyChanged(name, record.Enabled, record.Generation, rev, write.NowOffset));
            IdempotentRequests.Remember(db, request.RequestId, method, response);
            return response;
        }, cancellationToken);
    }

    /// <summary>The policy as stored: defaults filled in, read-only parts dropped.</summary>
    private static BackupPolicy Normalize(BackupPolicy given, string target)
    {
        var policy = given.Clone();
        policy.TargetDatabase = target;
        policy.Status = null;
        policy.UpdatedAt = null;
        policy.Generation = 0;
        policy.TimeZone = policy.TimeZone.Length > 0 ? policy.TimeZone : "UTC";
        policy.Kind = policy.Kind == BackupKind.Unspecified ? BackupKind.Database : policy.Kind;
        policy.Retention ??= new BackupRetention();
        policy.FreshnessMaxAge ??= Duration.FromTimeSpan(Limits.DefaultFreshness);
        return policy;
    }
}
