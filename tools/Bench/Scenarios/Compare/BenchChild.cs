using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Bench.Scenarios.Compare;

/// <summary>
/// Runs another scenario of this bench as a child process (as `registry` runs `heartbeat-clients` and `list-client`) and reads its
/// "RESULT …" line: the load generator's CPU then lands on its own process, neither on ours nor on the peer's.
/// </summary>
public static class BenchChild
{
    public static async Task<double[]> RunAsync(string scenario, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchChild).Assembly.Location);   // run as `dotnet Bench.dll`, not by its apphost
        }
        start.ArgumentList.Add(scenario);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start)!;
        try
        {
            var output = await child.StandardOutput.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            return output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))?.Split(' ')[1..]
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
                ?? throw new InvalidOperationException($"{scenario} failed (exit {child.ExitCode}): {output}");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }
}
