namespace ControlPlane.AllInOne.Demo;

/// <summary>Section "Demo": the demo fleet AllInOne runs with --demo.</summary>
public sealed class DemoFleetOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>The app the demo instances belong to.</summary>
    public string App { get; set; } = "demo";

    public int Instances { get; set; } = 3;

    /// <summary>Instance i (from 1) listens on FirstPort + i - 1 (Grafana's habit: 3000 and up).</summary>
    public int FirstPort { get; set; } = 3001;

    /// <summary>The version the fleet starts at, unless an Agent remembers a later one it applied.</summary>
    public string Version { get; set; } = "1.0.0";

    /// <summary>A version whose instances never become ready, so its rollout is rolled back.</summary>
    public string BrokenVersion { get; set; } = "2.0.0";

    /// <summary>Where the Agents keep what they applied (relative to the working directory).</summary>
    public string StateFolder { get; set; } = "data/demo";

    public string InstanceId(int number) => $"{App}-{number}";

    public int Port(int number) => FirstPort + number - 1;
}
