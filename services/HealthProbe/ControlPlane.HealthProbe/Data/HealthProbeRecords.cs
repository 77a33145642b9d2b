namespace ControlPlane.HealthProbe.Data;

/// <summary>An instance's health as of its last transition (not every probe is written).</summary>
public sealed class InstanceHealthRecord
{
    public string InstanceId { get; set; } = "";
    public string App { get; set; } = "";
    public string Address { get; set; } = "";
    public int State { get; set; }
    public string Reason { get; set; } = "";
    public DateTime StateSince { get; set; }
    public string ReportedVersion { get; set; } = "";
    public bool Ready { get; set; }
    public string ProberId { get; set; } = "";
    public long Revision { get; set; }
}

/// <summary>When an app's ready set last changed membership: its revision tells a load balancer whether to reload.</summary>
public sealed class ReadySetRecord
{
    public string App { get; set; } = "";
    public long Revision { get; set; }
    public DateTime ChangedAt { get; set; }
}
