namespace ControlPlane.Dashboard;

/// <summary>Section "Dashboard": where the services answer (empty: this process's own gRPC endpoint, as in AllInOne).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public string RegistryUrl { get; set; } = "";

    public string HealthProbeUrl { get; set; } = "";

    public string RolloutsUrl { get; set; } = "";

    public string BackupsUrl { get; set; } = "";

    /// <summary>
    /// The suite's replicas whose /api/health and /metrics the doctor page reads (HTTP or gRPC port). Empty: this
    /// process's own HTTP endpoint (AllInOne).
    /// </summary>
    public List<string> Replicas { get; set; } = [];

    /// <summary>How long a sign-in lasts without use; the key's own expiry and revocation apply on every call anyway.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// A folder the replicas of the dashboard share for their cookie-encryption keys, so a sign-in on one is valid on
    /// all of them behind a load balancer. Empty: Redis when ConnectionStrings:Redis is set, else ASP.NET Core's default
    /// key ring of this machine (one replica only).
    /// </summary>
    public string DataProtectionKeysPath { get; set; } = "";
}
