namespace ControlPlane.ServiceDefaults.EventLog;

/// <summary>One entry of a service's ordered event log, the source watch streams replay from.</summary>
public sealed class EventRecord
{
    public long Revision { get; set; }

    /// <summary>The app the event belongs to, so a watch can filter by app.</summary>
    public string Stream { get; set; } = "";

    /// <summary>What the event is about (an instance id, a rollout id...).</summary>
    public string Subject { get; set; } = "";

    public int Type { get; set; }

    /// <summary>The event as the API streams it (protobuf bytes).</summary>
    public byte[] Payload { get; set; } = [];

    public DateTime OccurredAt { get; set; }
}

/// <summary>The single row holding a service's last revision; locking it orders writers.</summary>
public sealed class RevisionCounter
{
    public int Id { get; set; }
    public long Value { get; set; }
}
