using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Agent.Applying;

/// <summary>
/// supervise mode: the Agent runs the instance process itself; applying a release stops it and starts the
/// configured command at the new version, then waits until the instance answers its liveness path. The instance is
/// drained before a rollout applies, so stopping it abruptly costs no routed request.
/// </summary>
internal sealed class SuperviseApplier(AgentOptions agent, IHttpClientFactory http, ILogger<SuperviseApplier> logger)
    : IReleaseApplier, IDisposable
{
    private Process? _process;

    public Task StartAsync(Release current, CancellationToken cancellationToken) => RunAsync(current, cancellationToken);

    public async Task ApplyAsync(Release release, CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        await RunAsync(release, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync(cancellationToken);
            process.Dispose();
        }
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
        }
        _process?.Dispose();
    }

    private async Task RunAsync(Release release, CancellationToken cancellationToken)
    {
        var process = new Process { StartInfo = TemplateExpander.Expand(agent.Supervise, release, agent.InstanceId) };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        AgentLog.InstanceStarted(logger, agent.InstanceId, release.Version, process.Id);
        await WaitUntilLiveAsync(process, cancellationToken);
    }

    private async Task WaitUntilLiveAsync(Process process, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(nameof(SuperviseApplier));
        var url = new Uri(new Uri(agent.Address.TrimEnd('/') + "/"), "livez");
        var deadline = DateTime.UtcNow + agent.ApplyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new ReleaseApplyException($"the instance exited with code {process.ExitCode} before answering {url.AbsolutePath}");
            }
            try
            {
                using var response = await client.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new ReleaseApplyException($"the instance did not answer {url.AbsolutePath} within {agent.ApplyTimeout}");
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            AgentLog.InstanceOutput(logger, agent.InstanceId, line);
        }
    }
}
