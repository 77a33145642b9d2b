using System.Diagnostics;

namespace ControlPlane.Agent.Applying;

/// <summary>exec mode: runs the configured command once per release; exit code 0 means applied.</summary>
internal sealed class ExecApplier(AgentOptions agent) : IReleaseApplier
{
    public Task StartAsync(Release current, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ApplyAsync(Release release, CancellationToken cancellationToken)
    {
        using var process = Process.Start(TemplateExpander.Expand(agent.Exec, release, agent.InstanceId))
            ?? throw new ReleaseApplyException($"could not start {agent.Exec.Command}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(agent.ApplyTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new ReleaseApplyException($"{agent.Exec.Command} did not finish within {agent.ApplyTimeout}");
        }
        if (process.ExitCode != 0)
        {
            var tail = (await errors + await output).Trim();
            throw new ReleaseApplyException($"{agent.Exec.Command} exited with code {process.ExitCode}: {Tail(tail)}");
        }
    }

    private static string Tail(string text) => text.Length <= 500 ? text : text[^500..];
}
