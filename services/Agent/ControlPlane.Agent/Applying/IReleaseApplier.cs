namespace ControlPlane.Agent.Applying;

/// <summary>Makes the instance run a release; throws <see cref="ReleaseApplyException"/> with the reason when it cannot.</summary>
public interface IReleaseApplier
{
    /// <summary>Brings the instance up at the current release when the Agent starts (supervise mode runs it).</summary>
    Task StartAsync(Release current, CancellationToken cancellationToken);

    Task ApplyAsync(Release release, CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}

/// <param name="ConfigFile">The configuration written to disk, or empty when the release carries none.</param>
public sealed record Release(string Version, string ConfigHash, string ConfigFile);

public sealed class ReleaseApplyException(string reason) : Exception(reason);
