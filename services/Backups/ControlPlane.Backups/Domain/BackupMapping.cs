using System.Text.Json;
using ControlPlane.Api.V1;
using ControlPlane.Backups.Data;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Backups.Domain;

/// <summary>Stored records to API messages, and enum values to the words bus contracts use.</summary>
public static class BackupMapping
{
    public static Backup ToApi(this BackupRecord record)
    {
        var backup = new Backup
        {
            Id = record.Id,
            TargetDatabase = record.TargetDatabase,
            Kind = record.Kind,
            Status = record.Status,
            ArtifactUri = record.ArtifactUri,
            SizeBytes = record.SizeBytes,
            Sha256 = record.Sha256,
            Compression = record.Compression,
            Encrypted = record.EncryptionKeyId.Length > 0,
            EncryptionKeyId = record.EncryptionKeyId,
            Manifest = record.Manifest.Length > 0 ? BackupManifest.Parser.ParseFrom(record.Manifest) : null,
            Verification = record.Verification.Length > 0 ? BackupVerification.Parser.ParseFrom(record.Verification) : null,
            Error = record.Error,
            Trigger = record.Trigger,
            Initiator = record.Initiator,
            Description = record.Description,
            Pinned = record.Pinned,
            ExpiresAt = Time(record.ExpiresAt),
            CreatedAt = Time(record.CreatedAt),
            StartedAt = Time(record.StartedAt),
            FinishedAt = Time(record.FinishedAt),
            RequestId = record.RequestId,
            Revision = record.Revision,
        };
        backup.Labels.Add(ReadLabels(record.Labels));
        return backup;
    }

    public static Restore ToApi(this RestoreRecord record) => new()
    {
        Id = record.Id,
        BackupId = record.BackupId,
        TargetDatabase = record.TargetDatabase,
        Status = record.Status,
        DryRun = record.DryRun,
        SafetyBackupId = record.SafetyBackupId,
        Error = record.Error,
        Initiator = record.Initiator,
        Reason = record.Reason,
        CreatedAt = Time(record.CreatedAt),
        StartedAt = Time(record.StartedAt),
        FinishedAt = Time(record.FinishedAt),
        RequestId = record.RequestId,
        Revision = record.Revision,
    };

    public static BackupVerification VerificationOf(BackupRecord record) =>
        record.Verification.Length > 0 ? BackupVerification.Parser.ParseFrom(record.Verification) : new BackupVerification();

    public static BackupManifest ManifestOf(BackupRecord record) =>
        record.Manifest.Length > 0 ? BackupManifest.Parser.ParseFrom(record.Manifest) : new BackupManifest();

    public static string WriteLabels(IDictionary<string, string> labels) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(labels, StringComparer.Ordinal));

    public static Dictionary<string, string> ReadLabels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>The lower-case word of an API enum value, as bus contracts carry it ("succeeded", "full").</summary>
    public static string Word<T>(T value) where T : struct, System.Enum => value.ToString().ToLowerInvariant();

    /// <summary>SQLite hands DateTime back as Unspecified; every stored time is UTC.</summary>
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTimeOffset Offset(DateTime value) => new(Utc(value));

    public static Timestamp? Time(DateTime? value) => value is { } v ? Timestamp.FromDateTime(Utc(v)) : null;
}
