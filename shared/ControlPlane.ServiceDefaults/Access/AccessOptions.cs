namespace ControlPlane.ServiceDefaults.Access;

/// <summary>Section "Access": the credentials this process accepts and the one it presents.</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>
    /// Keys from configuration, by name: the way in for a fresh HA deployment (and for the services' own keys).
    /// Only the SHA-256 of each token is configured, so no configuration file holds a secret that lets anyone in.
    /// </summary>
    public Dictionary<string, StaticApiKey> Keys { get; set; } = [];

    /// <summary>
    /// Roles of client certificates (issued by ControlPlane:Tls:ClientCaFile), by the subject's common name:
    /// <c>Access:CertificateRoles:rollouts=operator</c>. A certificate whose name is not here is refused.
    /// </summary>
    public Dictionary<string, string> CertificateRoles { get; set; } = [];

    /// <summary>The bearer token this process sends on its calls to the other services (from a secret).</summary>
    public string ClientToken { get; set; } = "";

    /// <summary>Or a file holding it (a mounted Kubernetes Secret); read at start.</summary>
    public string ClientTokenFile { get; set; } = "";

    /// <summary>How long a looked-up database key is trusted before it is read again: bounds how late a revocation bites.</summary>
    public TimeSpan KeyCacheTtl { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>/metrics needs a viewer credential when true; open by default, as Prometheus scrapes usually are.</summary>
    public bool ProtectMetrics { get; set; }

    /// <summary>
    /// AllInOne on loopback with no keys configured creates an admin key on first start, prints it once and writes it
    /// to <c>admin.token</c> beside its SQLite database. false turns that off.
    /// </summary>
    public bool BootstrapAdminKey { get; set; } = true;

    /// <summary>Mutating calls kept in the audit log.</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(90);
}

/// <summary>A key configured by hash: <c>Access:Keys:NAME:Sha256</c> (hex) and <c>Access:Keys:NAME:Role</c>.</summary>
public sealed class StaticApiKey
{
    /// <summary>Hex SHA-256 of the token: <c>printf %s "$TOKEN" | sha256sum</c>.</summary>
    public string Sha256 { get; set; } = "";

    public string Role { get; set; } = "";

    public DateTimeOffset? ExpiresAt { get; set; }
}
