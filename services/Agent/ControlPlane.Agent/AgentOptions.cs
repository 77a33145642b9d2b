using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Agent;

public enum ApplyMode
{
    /// <summary>Run <see cref="AgentOptions.Exec"/>'s command (a real host's deploy script).</summary>
    Exec,

    /// <summary>Run the instance process itself and restart it at the new version (demos, tests).</summary>
    Supervise,
}

/// <summary>Section "Agent": the instance this Agent runs beside, and how it applies releases.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>Names the Agent's queue (see ControlPlane.Contracts.AgentQueue). Default: <see cref="InstanceId"/>.</summary>
    public string AgentId { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string InstanceId { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string App { get; set; } = "";

    /// <summary>The instance's base URL (probed by HealthProbe; its /api/health fills what is left empty below).</summary>
    [Required(AllowEmptyStrings = false), Url]
    public string Address { get; set; } = "";

    /// <summary>Empty: the version last applied (state file), else what the instance's /api/health reports.</summary>
    public string Version { get; set; } = "";

    public string ConfigHash { get; set; } = "";
    public List<string> Plugins { get; set; } = [];
    public string SchemaVersion { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];

    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Default: a third of <see cref="LeaseTtl"/>, so two lost heartbeats do not expire the lease.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>The Registry's gRPC URL; empty: this process's own ControlPlane:GrpcUrl.</summary>
    public string RegistryUrl { get; set; } = "";

    public ApplyMode Mode { get; set; } = ApplyMode.Exec;

    /// <summary>Where the Agent remembers what it applied (so a repeated command is applied once, across restarts).</summary>
    public string StateFile { get; set; } = "";

    /// <summary>How long an applied release may take to answer /livez (supervise) or to finish (exec).</summary>
    public TimeSpan ApplyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public CommandTemplate Exec { get; set; } = new();

    public CommandTemplate Supervise { get; set; } = new();

    public string EffectiveAgentId => AgentId.Length > 0 ? AgentId : InstanceId;

    public TimeSpan EffectiveHeartbeatInterval => HeartbeatInterval ?? LeaseTtl / 3;

    public string EffectiveStateFile => StateFile.Length > 0 ? StateFile : Path.Combine("data", $"agent-{EffectiveAgentId}.json");
}

/// <summary>
/// A program and its arguments; each may hold {version}, {config_hash}, {config_file} and {instance_id}. Arguments
/// are passed as a list (no shell), so a value can never be re-parsed as a second argument.
/// </summary>
public sealed class CommandTemplate
{
    public string Command { get; set; } = "";
    public List<string> Arguments { get; set; } = [];
    public Dictionary<string, string> Environment { get; set; } = [];
}
