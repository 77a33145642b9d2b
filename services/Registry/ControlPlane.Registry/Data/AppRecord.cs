namespace ControlPlane.Registry.Data;

public sealed class AppRecord
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string DesiredVersion { get; set; } = "";
    public string DesiredConfigHash { get; set; } = "";

    /// <summary>Sorted, comma-joined: compared as a set.</summary>
    public string DesiredPlugins { get; set; } = "";

    public bool DesiredPluginsSet { get; set; }
    public string DesiredSchemaVersion { get; set; } = "";

    /// <summary>The API's HealthCheckSpec as protobuf bytes (HealthProbe reads it over gRPC, never from here).</summary>
    public byte[] HealthCheck { get; set; } = [];

    public byte[] RolloutDefaults { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Generation { get; set; }
}
