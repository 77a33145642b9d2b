using System.ComponentModel.DataAnnotations;
using ControlPlane.Api.V1;

namespace ControlPlane.Backups.Domain;

/// <summary>The <c>Backups</c> configuration section.</summary>
public sealed class BackupsOptions
{
    public const string SectionName = "Backups";

    /// <summary>The control plane's own database: the target of requests that name none.</summary>
    public const string OwnTarget = "controlplane";

    /// <summary>Folder holding the artifacts, one folder per target and backup. Replicas must share it (e.g. NFS).</summary>
    [Required]
    public string RepositoryPath { get; set; } = "./data/backups";

    /// <summary>Registry gRPC address for the fleet configuration. Empty: this process's own ControlPlane:GrpcUrl (AllInOne).</summary>
    public string? RegistryUrl { get; set; }

    /// <summary>Folder of pg_dump and pg_restore. Empty: /usr/lib/postgresql/15/bin when present, else the PATH.</summary>
    public string? PgBinPath { get; set; }

    /// <summary>Folder of mariadb-dump and mariadb (or mysqldump and mysql). Empty: the PATH.</summary>
    public string? MySqlBinPath { get; set; }

    /// <summary>Named PostgreSQL, MySQL/MariaDB or SQLite databases besides the control plane's own (e.g. the fleet's shared database).</summary>
    public Dictionary<string, BackupTargetOptions> Targets { get; set; } = [];

    /// <summary>"gzip" (default) or "none"; "zstd" needs pg_dump 16 or newer.</summary>
    [RegularExpression("^(none|gzip|zstd)$")]
    public string DefaultCompression { get; set; } = "gzip";

    public BackupEncryptionOptions Encryption { get; set; } = new();

    /// <summary>What a request's compression means, UNSPECIFIED being the configured default.</summary>
    public BackupCompression CompressionFor(BackupCompression requested) =>
        requested != BackupCompression.Unspecified ? requested : DefaultCompression switch
        {
            "none" => BackupCompression.None,
            "zstd" => BackupCompression.Zstd,
            _ => BackupCompression.Gzip,
        };

    /// <summary>Backups, verifications and restores this replica runs at the same time.</summary>
    [Range(1, 16)]
    public int MaxConcurrentOperations { get; set; } = 1;

    /// <summary>How often the scheduler (one replica, under a lease) plans backups, verifications, retention and freshness.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A running operation whose replica stopped reporting for this long is marked failed.</summary>
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed and cancelled backups are marked deleted after this long (their records stay).</summary>
    public TimeSpan FailedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long backup events stay replayable by WatchBackups.</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Scratch databases of verifications are named with this prefix (dropped after each check).</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,30}$")]
    public string ScratchDatabasePrefix { get; set; } = "cp_verify_";
}

public sealed class BackupTargetOptions
{
    /// <summary>A PostgreSQL (Host=…) or SQLite (Data Source=…) connection string.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";
}

/// <summary>
/// AES-256-GCM keys, base64 of 32 bytes each, by id: <c>Backups:Encryption:Keys:k2025=…</c>. New backups use
/// <see cref="ActiveKey"/>; older ones are read with the key their header names, so keys can rotate.
/// </summary>
public sealed class BackupEncryptionOptions
{
    /// <summary>Id of the key new backups are encrypted with. Empty: backups are not encrypted.</summary>
    public string ActiveKey { get; set; } = "";

    public Dictionary<string, string> Keys { get; set; } = [];
}
