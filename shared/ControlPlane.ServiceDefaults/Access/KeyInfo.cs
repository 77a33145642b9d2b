namespace ControlPlane.ServiceDefaults.Access;

/// <summary>What authentication needs of a key, from configuration, the database or the process.</summary>
public sealed record KeyInfo(string Name, string Role, string Method, string? KeyId, long? ExpiresAtMs, long? RevokedAtMs);
