using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Registry.Domain;

/// <summary>The <c>Registry</c> configuration section.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>Lease granted when a registration asks for none.</summary>
    public TimeSpan DefaultLeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an expired instance stays listed (state EXPIRED) before it is removed.</summary>
    public TimeSpan RemoveExpiredAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Heartbeats renew leases in memory and are written in one batch this often, so a heartbeat costs no
    /// synchronous database write. Expiry is judged with this much grace.
    /// </summary>
    public TimeSpan HeartbeatFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the lease holder looks for expired leases.</summary>
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long instance events stay replayable by WatchInstances.</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromHours(24);

    [Range(1, 100_000)]
    public int MaxInstancesPerApp { get; set; } = 20_000;
}
