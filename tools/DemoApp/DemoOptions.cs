using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ControlPlane.DemoApp;

/// <summary>Who this instance is and where it listens: section "DemoApp", or the switches and DEMOAPP_* variables below.</summary>
internal sealed class DemoOptions : IValidatableObject
{
    public const string SectionName = "DemoApp";

    /// <summary>(command-line switch, environment variable, key in the DemoApp section).</summary>
    public static readonly (string Switch, string Variable, string Key)[] Sources =
    [
        ("--version", "DEMOAPP_VERSION", nameof(Version)),
        ("--instance-id", "DEMOAPP_INSTANCE_ID", nameof(InstanceId)),
        ("--port", "DEMOAPP_PORT", nameof(Port)),
        ("--grpc-port", "DEMOAPP_GRPC_PORT", nameof(GrpcPort)),
        ("--bind", "DEMOAPP_BIND", nameof(Bind)),
        ("--commit", "DEMOAPP_COMMIT", nameof(Commit)),
        ("--faults-by-version", "DEMOAPP_FAULTS_BY_VERSION", nameof(FaultsByVersion)),
    ];

    [Required(AllowEmptyStrings = false)]
    public string Version { get; set; } = "1.0";

    /// <summary>Defaults to demo-PORT.</summary>
    public string InstanceId { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 3000;

    /// <summary>Cleartext HTTP/2 port serving grpc.health.v1; none when unset.</summary>
    [Range(1, 65535)]
    public int? GrpcPort { get; set; }

    /// <summary>An IP address, "localhost" or "*" (every interface).</summary>
    public string Bind { get; set; } = "127.0.0.1";

    public string Commit { get; set; } = "demo";

    /// <summary>"3.0=readiness;2.1=exit:3": faults a version has from start (see <see cref="VersionFaults"/>).</summary>
    public string? FaultsByVersion { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Bind is not ("*" or "localhost") && !IPAddress.TryParse(Bind, out _))
        {
            yield return new ValidationResult($"DemoApp:Bind must be an IP address, \"localhost\" or \"*\", not \"{Bind}\".", [nameof(Bind)]);
        }
        if (GrpcPort == Port)
        {
            yield return new ValidationResult("DemoApp:GrpcPort must differ from DemoApp:Port.", [nameof(GrpcPort)]);
        }
        if (!VersionFaults.TryParse(FaultsByVersion, out _, out var error))
        {
            yield return new ValidationResult($"DemoApp:FaultsByVersion: {error}", [nameof(FaultsByVersion)]);
        }
    }
}
