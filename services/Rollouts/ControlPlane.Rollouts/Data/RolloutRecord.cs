namespace ControlPlane.Rollouts.Data;

/// <summary>
/// One rollout: the API message (steps included) as protobuf bytes, the driver's private bookkeeping as JSON, and
/// the columns queries filter on. <see cref="ActiveApp"/> is the app while the rollout is active (else null): its
/// unique index makes "one active rollout per app" hold even between replicas starting rollouts at once.
/// </summary>
public sealed class RolloutRecord
{
    public string Id { get; set; } = "";
    public string App { get; set; } = "";
    public string? ActiveApp { get; set; }
    public int State { get; set; }
    public string? RequestId { get; set; }
    public DateTime CreatedAt { get; set; }
    public long Revision { get; set; }

    /// <summary>Active, or ended with instances still to undrain: the driver looks at it.</summary>
    public bool NeedsDriver { get; set; }

    /// <summary>Optimistic concurrency: the driver and the API (pause, abort...) never overwrite each other.</summary>
    public long Generation { get; set; }

    public byte[] Body { get; set; } = [];
    public string Work { get; set; } = "";
}

/// <summary>An Agent's answer to one ApplyRelease, kept until the driver reads it (any replica may receive it).</summary>
public sealed class AgentAnswerRecord
{
    public string ApplyId { get; set; } = "";
    public bool Ok { get; set; }
    public string Version { get; set; } = "";
    public string Error { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
}
