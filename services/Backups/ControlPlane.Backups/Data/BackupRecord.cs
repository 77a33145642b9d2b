using ControlPlane.Api.V1;

namespace ControlPlane.Backups.Data;

/// <summary>One backup: the row the API's Backup is read from. Sub-messages are stored as protobuf bytes.</summary>
public sealed class BackupRecord
{
    public string Id { get; set; } = "";
    public string TargetDatabase { get; set; } = "";
    public BackupKind Kind { get; set; }
    public BackupStatus Status { get; set; }
    public string ArtifactUri { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
    public BackupCompression Compression { get; set; }
    public string EncryptionKeyId { get; set; } = "";

    /// <summary>BackupManifest bytes; empty until the backup succeeded.</summary>
    public byte[] Manifest { get; set; } = [];

    public VerificationStatus VerificationStatus { get; set; }

    /// <summary>BackupVerification bytes of the latest verification; empty when never verified.</summary>
    public byte[] Verification { get; set; } = [];

    /// <summary>Verify as soon as the backup succeeded (CreateBackupRequest.verify).</summary>
    public bool VerifyWhenDone { get; set; }

    public string Error { get; set; } = "";
    public BackupTrigger Trigger { get; set; }
    public string Initiator { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>JSON object of the labels.</summary>
    public string Labels { get; set; } = "{}";

    public bool Pinned { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string RequestId { get; set; } = "";
    public long Revision { get; set; }

    /// <summary>W3C traceparent of the request that queued it, so the work joins the caller's trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>Replica running the backup or its verification, and when it last said so (see OrphanReaper).</summary>
    public string Owner { get; set; } = "";

    public DateTime? HeartbeatAt { get; set; }

    /// <summary>DeleteBackup asked a running backup to stop; its runner sees it at the next heartbeat.</summary>
    public bool CancelRequested { get; set; }
}
