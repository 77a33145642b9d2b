namespace ControlPlane.Backups.Data;

/// <summary>The backup policy of one target, and where the scheduler stands with it.</summary>
public sealed class PolicyRecord
{
    public string TargetDatabase { get; set; } = "";

    /// <summary>BackupPolicy bytes as set (without status).</summary>
    public byte[] Policy { get; set; } = [];

    public bool Enabled { get; set; }

    /// <summary>When the policy was last switched on: the freshness clock of a target with no backup yet.</summary>
    public DateTime? EnabledAt { get; set; }

    public DateTime? NextBackupAt { get; set; }
    public DateTime? NextVerificationAt { get; set; }

    /// <summary>Set when the scheduler announced the target stale; cleared when a fresh backup arrived.</summary>
    public DateTime? StaleSince { get; set; }

    public DateTime UpdatedAt { get; set; }
    public long Generation { get; set; }
}
