using System.Diagnostics;

namespace ControlPlane.Bench.Scenarios;

/// <summary>The 'serve-targets' scenario as a child process of this bench; killed at dispose.</summary>
public sealed class TargetServer : IAsyncDisposable
{
    private readonly Process _process;

    private TargetServer(Process process, IReadOnlyList<int> ports)
    {
        _process = process;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<TargetServer> StartAsync(int ports)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(TargetServer).Assembly.Location);
        start.ArgumentList.Add("serve-targets");
        start.ArgumentList.Add("--ports");
        start.ArgumentList.Add(ports.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("ports: ", StringComparison.Ordinal))
            {
                return new TargetServer(process, line["ports: ".Length..].Split(',').Select(int.Parse).ToList());
            }
        }
        throw new InvalidOperationException("the target server exited before listening");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
