namespace ControlPlane.ServiceDefaults.Access;

/// <summary>One mutating call (or a refused one): who, what, when, outcome.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public long AtMs { get; set; }
    public string Principal { get; set; } = "";
    public string Role { get; set; } = "";
    public string Method { get; set; } = "";
    public string Outcome { get; set; } = "";
    public string Detail { get; set; } = "";
    public string Replica { get; set; } = "";
    public string Peer { get; set; } = "";
    public string TraceId { get; set; } = "";
}
