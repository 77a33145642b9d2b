using System.ComponentModel.DataAnnotations;

namespace ControlPlane.ServiceDefaults.Hosting;

/// <summary>The <c>ControlPlane</c> configuration section shared by every service.</summary>
public sealed class ControlPlaneOptions
{
    public const string SectionName = "ControlPlane";

    /// <summary>false: one process, SQLite, in-memory bus. true: replicas on PostgreSQL and RabbitMQ.</summary>
    public bool HighAvailability { get; set; }

    /// <summary>Names this replica in leases, logs and /api/health.</summary>
    [Required, StringLength(128, MinimumLength = 1)]
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>HTTP/1.1 endpoint: /livez, /readyz, /api/health. Loopback unless configured otherwise.</summary>
    [Required]
    public string HttpUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>HTTP/2 (cleartext) endpoint for gRPC.</summary>
    [Required]
    public string GrpcUrl { get; set; } = "http://127.0.0.1:5081";
}
