using ControlPlane.Api.V1;
using ControlPlane.Backups.Domain;
using ControlPlane.Backups.Policy;
using ControlPlane.ServiceDefaults.Grpc;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Backups.Grpc;

/// <summary>Every field of every Backups request checked before anything is read or stored.</summary>
public static class BackupsValidation
{
    public static void Validate(CreateBackupRequest request)
    {
        var v = new FieldValidator();
        Target(v, request.TargetDatabase, "target_database", required: false);
        v.Check(System.Enum.IsDefined(request.Kind), "kind", "is not a known backup kind")
         .Check(System.Enum.IsDefined(request.Compression), "compression", "is not a known compression")
         .MaxLength(request.Initiator, "initiator", Limits.InitiatorLength)
         .MaxLength(request.Description, "description", Limits.DescriptionLength);
        Labels(v, request.Labels);
        RequestId(v, request.RequestId).ThrowIfInvalid();
    }

    public static void BackupId(string backupId) => new FieldValidator().Identifier(backupId, "backup_id", Limits.IdLength).ThrowIfInvalid();

    public static void Validate(ListBackupsRequest request)
    {
        var v = new FieldValidator().Check(request.PageSize >= 0, "page_size", "must not be negative");
        Target(v, request.TargetDatabase, "target_database", required: false);
        v.Check(request.Kinds.All(k => System.Enum.IsDefined(k)), "kinds", "holds an unknown kind")
         .Check(request.Statuses.All(s => System.Enum.IsDefined(s)), "statuses", "holds an unknown status")
         .ThrowIfInvalid();
    }

    public static void Validate(DeleteBackupRequest request) =>
        RequestId(new FieldValidator().Identifier(request.BackupId, "backup_id", Limits.IdLength), request.RequestId).ThrowIfInvalid();

    public static void Validate(VerifyBackupRequest request) =>
        RequestId(new FieldValidator().Identifier(request.BackupId, "backup_id", Limits.IdLength), request.RequestId).ThrowIfInvalid();

    public static void Validate(RestoreBackupRequest request)
    {
        var v = new FieldValidator().Identifier(request.BackupId, "backup_id", Limits.IdLength);
        Target(v, request.TargetDatabase, "target_database", required: true);
        v.Check(request.Confirm == request.TargetDatabase && request.Confirm.Length > 0, "confirm",
                "must repeat target_database exactly: the restore overwrites that database")
         .MaxLength(request.Initiator, "initiator", Limits.InitiatorLength)
         .MaxLength(request.Reason, "reason", Limits.ReasonLength);
        RequestId(v, request.RequestId).ThrowIfInvalid();
    }

    public static void GetPolicy(string target)
    {
        var v = new FieldValidator();
        Target(v, target, "target_database", required: false);
        v.ThrowIfInvalid();
    }

    public static void Validate(SetBackupPolicyRequest request)
    {
        var v = new FieldValidator();
        if (request.Policy is not { } policy)
        {
            v.Add("policy", "is required").ThrowIfInvalid();
            return;
        }
        Target(v, policy.TargetDatabase, "policy.target_database", required: false);
        Cron(v, policy.Schedule, "policy.schedule");
        Cron(v, policy.VerificationSchedule, "policy.verification_schedule");
        v.Check(policy.TimeZone.Length == 0 || CronSchedule.Zone(policy.TimeZone) is not null, "policy.time_zone", "is not a known IANA time zone")
         .Check(System.Enum.IsDefined(policy.Kind), "policy.kind", "is not a known backup kind")
         .Check(System.Enum.IsDefined(policy.Compression), "policy.compression", "is not a known compression");
        if (policy.Retention is { } retention)
        {
            v.Check(retention.KeepLast is >= 0 and <= Limits.MaxKeepLast, "policy.retention.keep_last", $"must be between 0 and {Limits.MaxKeepLast}");
            Positive(v, retention.MaxAge, "policy.retention.max_age");
        }
        Positive(v, policy.FreshnessMaxAge, "policy.freshness_max_age");
        RequestId(v, request.RequestId).ThrowIfInvalid();
    }

    public static void Validate(WatchBackupsRequest request)
    {
        var v = new FieldValidator().Check(request.FromRevision >= 0, "from_revision", "must not be negative");
        Target(v, request.TargetDatabase, "target_database", required: false);
        if (request.BackupId.Length > 0)
        {
            v.Identifier(request.BackupId, "backup_id", Limits.IdLength);
        }
        v.ThrowIfInvalid();
    }

    private static void Target(FieldValidator v, string target, string field, bool required)
    {
        if (target.Length > 0 || required)
        {
            v.Identifier(target, field, Limits.TargetLength);
        }
    }

    private static void Cron(FieldValidator v, string expression, string field)
    {
        if (expression.Length > 0 && CronSchedule.Problem(expression) is { } problem)
        {
            v.Add(field, problem);
        }
    }

    private static void Positive(FieldValidator v, Duration? value, string field)
    {
        if (value is null)
        {
            return;
        }
        var ok = value.Seconds >= 0 && value.Nanos is >= 0 and < 1_000_000_000 && value.ToTimeSpan() > TimeSpan.Zero && value.ToTimeSpan() <= Limits.MaxAge;
        v.Check(ok, field, $"must be positive and at most {Limits.MaxAge.TotalDays} days");
    }

    private static void Labels(FieldValidator v, MapField<string, string> labels)
    {
        v.Check(labels.Count <= Limits.MaxLabels, "labels", $"has more than {Limits.MaxLabels} entries");
        foreach (var (key, value) in labels.Take(Limits.MaxLabels + 1))
        {
            var field = $"labels[{(key.Length <= 32 ? key : key[..32] + "…")}]";
            v.Identifier(key, field, Limits.LabelKeyLength).MaxLength(value, field, Limits.LabelValueLength);
        }
    }

    private static FieldValidator RequestId(FieldValidator v, string requestId) =>
        requestId.Length == 0 ? v : v.Identifier(requestId, "request_id", Limits.RequestIdLength);
}
