namespace ControlPlane.Bench;

/// <summary>One benchmark. Scenarios are found by reflection, so adding one is adding a file.</summary>
public interface IBenchScenario
{
    /// <summary>The command-line name, e.g. "heartbeats".</summary>
    string Name { get; }

    string Description { get; }

    /// <returns>The process exit code.</returns>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
