namespace ControlPlane.Registry.Data;

public sealed class InstanceRecord
{
    public string InstanceId { get; set; } = "";
    public string App { get; set; } = "";
    public string Address { get; set; } = "";
    public string AgentAddress { get; set; } = "";
    public string Version { get; set; } = "";
    public string ConfigHash { get; set; } = "";

    /// <summary>Sorted, comma-joined: compared as a set.</summary>
    public string Plugins { get; set; } = "";

    public string SchemaVersion { get; set; } = "";

    /// <summary>JSON object of the labels.</summary>
    public string Labels { get; set; } = "{}";

    public bool Draining { get; set; }
    public InstanceStatus State { get; set; }
    public string LeaseId { get; set; } = "";
    public long LeaseTtlMs { get; set; }
    public DateTime LeaseExpiresAt { get; set; }
    public DateTime RegisteredAt { get; set; }
    public DateTime LastHeartbeatAt { get; set; }
    public DateTime? ExpiredAt { get; set; }
    public long Revision { get; set; }

    /// <summary>The drift last announced, as "field=expected>actual" lines; empty when in line.</summary>
    public string Drift { get; set; } = "";
}

public enum InstanceStatus
{
    Active = 1,
    Expired = 2,
}
