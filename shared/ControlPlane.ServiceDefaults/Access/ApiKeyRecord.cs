namespace ControlPlane.ServiceDefaults.Access;

/// <summary>A key created through the Access API; the token itself is never stored.</summary>
public sealed class ApiKeyRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string TokenSha256 { get; set; } = "";
    public long CreatedAtMs { get; set; }
    public long? ExpiresAtMs { get; set; }
    public long? RevokedAtMs { get; set; }
    public string CreatedBy { get; set; } = "";
    public string RequestId { get; set; } = "";

    public bool IsActiveAt(long nowMs) => RevokedAtMs is null && (ExpiresAtMs is null || ExpiresAtMs > nowMs);
}
