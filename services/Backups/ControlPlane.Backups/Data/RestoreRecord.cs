using ControlPlane.Api.V1;

namespace ControlPlane.Backups.Data;

public sealed class RestoreRecord
{
    public string Id { get; set; } = "";
    public string BackupId { get; set; } = "";
    public string TargetDatabase { get; set; } = "";
    public RestoreStatus Status { get; set; }
    public bool DryRun { get; set; }
    public bool SkipSafetyBackup { get; set; }
    public string SafetyBackupId { get; set; } = "";
    public string Error { get; set; } = "";
    public string Initiator { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string RequestId { get; set; } = "";
    public long Revision { get; set; }

    /// <summary>W3C traceparent of the request that queued it, so the work joins the caller's trace.</summary>
    public string? TraceParent { get; set; }
    public string Owner { get; set; } = "";
    public DateTime? HeartbeatAt { get; set; }
}
