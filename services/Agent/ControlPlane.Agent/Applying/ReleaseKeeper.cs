using ControlPlane.Contracts;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Agent.Applying;

/// <summary>
/// The release the instance runs, and the one place that changes it: applies run one at a time, each ApplyRelease id
/// at most once (answered from the state file when repeated), and the state is saved before the answer is sent.
/// </summary>
public sealed class ReleaseKeeper(
    AgentOptions agent,
    IReleaseApplier applier,
    InstanceHealthReader healthReader,
    ILogger<ReleaseKeeper> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentState _state = new();

    /// <summary>Completes once the instance runs (supervise) and its release is known.</summary>
    public Task Initialized => _initialized.Task;

    public string Version => _state.Version;
    public string ConfigHash => _state.ConfigHash;
    public int AppliedCount => _state.AppliedCount;

    /// <summary>Set after every applied release, so the next heartbeat reports it at once.</summary>
    public event Action? Changed;

    private string StateFile => agent.EffectiveStateFile;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _state = AgentState.Load(StateFile);
        // What this Agent applied last wins over the configured version: after an Agent restart the instance must come
        // back at the release the rollout left it on.
        if (_state.Version.Length == 0)
        {
            _state.Version = agent.Version;
            _state.ConfigHash = agent.ConfigHash;
        }
        await applier.StartAsync(new Release(_state.Version, _state.ConfigHash, ""), cancellationToken);
        if (_state.Version.Length == 0)
        {
            _state.Version = await healthReader.ReadVersionAsync(cancellationToken);
        }
        _state.Save(StateFile);
        _initialized.TrySetResult();
    }

    public async Task<(ApplyAnswer Answer, bool Repeated)> ApplyAsync(ApplyRelease command, CancellationToken cancellationToken)
    {
        await Initialized.WaitAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_state.Find(command.ApplyId) is { } earlier)
            {
                AgentLog.AlreadyApplied(logger, command.InstanceId, command.ApplyId);
                return (earlier, true);
            }
            var answer = await RunAsync(command, cancellationToken);
            _state.Remember(answer);
            _state.Save(StateFile);
            return (answer, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ApplyAnswer> RunAsync(ApplyRelease command, CancellationToken cancellationToken)
    {
        var version = command.Version.Length > 0 ? command.Version : _state.Version;
        var configHash = command.ConfigHash.Length > 0 ? command.ConfigHash : _state.ConfigHash;
        using var span = AgentTelemetry.Source.StartActivity("agent apply");
        span?.SetTag("controlplane.instance.id", command.InstanceId);
        span?.SetTag("controlplane.apply.id", command.ApplyId);
        span?.SetTag("controlplane.version", version);
        try
        {
            var release = new Release(version, configHash, WriteConfig(command));
            await applier.ApplyAsync(release, cancellationToken);
            _state.AppliedCount++;
            AgentLog.Applied(logger, command.InstanceId, command.ApplyId, version);
            return new ApplyAnswer(command.ApplyId, true, version, configHash, "");
        }
        catch (ReleaseApplyException ex)
        {
            AgentLog.ApplyFailed(logger, command.InstanceId, command.ApplyId, ex.Message);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            return new ApplyAnswer(command.ApplyId, false, version, configHash, ex.Message);
        }
        finally
        {
            // Even a failed apply may have changed what runs (the old process is gone): report what was attempted.
            _state.Version = version;
            _state.ConfigHash = configHash;
            Changed?.Invoke();
        }
    }

    /// <summary>The release's configuration as a file beside the state file, named by its hash; empty when none was sent.</summary>
    private string WriteConfig(ApplyRelease command)
    {
        if (command.Config is not { Length: > 0 } config)
        {
            return "";
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(StateFile))!;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"config-{(command.ConfigHash.Length > 0 ? command.ConfigHash : command.ApplyId.Replace('/', '-'))}");
        File.WriteAllBytes(path, config);
        return path;
    }

    /// <summary>Stops the supervised instance with the Agent, so no orphan keeps its port.</summary>
    public void Dispose()
    {
        (applier as IDisposable)?.Dispose();
        _gate.Dispose();
    }
}
