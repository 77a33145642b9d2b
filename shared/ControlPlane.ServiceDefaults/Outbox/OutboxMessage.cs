namespace ControlPlane.ServiceDefaults.Outbox;

/// <summary>A bus message written in the same transaction as the change it announces, published after commit.</summary>
public sealed class OutboxMessage
{
    public long Sequence { get; set; }
    public Guid MessageId { get; set; }

    /// <summary>"Namespace.Type, Assembly" of the contract.</summary>
    public string MessageType { get; set; } = "";

    public string Payload { get; set; } = "";

    /// <summary>W3C traceparent of the operation that wrote it, so the publish joins its trace.</summary>
    public string? TraceParent { get; set; }

    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
