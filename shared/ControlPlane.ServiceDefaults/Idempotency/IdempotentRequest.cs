namespace ControlPlane.ServiceDefaults.Idempotency;

/// <summary>The answer given to a mutating request that carried a request_id, returned again on a retry.</summary>
public sealed class IdempotentRequest
{
    public string RequestId { get; set; } = "";
    public string Method { get; set; } = "";
    public byte[] Response { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}
