using System.ComponentModel.DataAnnotations;

namespace ControlPlane.HealthProbe.Probing;

/// <summary>The <c>HealthProbe</c> configuration section.</summary>
public sealed class HealthProbeOptions
{
    public const string SectionName = "HealthProbe";

    /// <summary>The Registry's gRPC address. Empty: this process's own gRPC endpoint (AllInOne).</summary>
    public string RegistryUrl { get; set; } = "";

    /// <summary>Probes running at once; beyond it, due probes wait (back-pressure instead of a burst).</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentProbes { get; set; } = 2000;

    /// <summary>At most this much of a response body is read (the /api/health JSON); the rest is ignored.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>When not empty, only addresses inside these networks (CIDR) are probed.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Never probed unless allowed above: link-local (incl. 169.254.169.254 metadata) and the AWS IPv6 metadata address.</summary>
    public List<string> DeniedNetworks { get; set; } = ["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"];

    /// <summary>How long health events stay replayable by WatchHealth.</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often app specs are read again from the Registry, beyond the AppUpserted events.</summary>
    public TimeSpan SpecRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
