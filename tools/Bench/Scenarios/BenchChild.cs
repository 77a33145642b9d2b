using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Bench.Scenarios;

/// <summary>
/// Runs another scenario of this Bench as a process of its own (the clients of a measurement), so that neither its
/// CPU and garbage collections nor the process-wide telemetry listeners on its calls count as the server's.
/// </summary>
public static class BenchChild
{
    /// <summary>Runs <c>Bench SCENARIO ARGS...</c> and returns the numbers of its one line "RESULT n n ...".</summary>
    public static async Task<double[]> RunAsync(string scenario, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchChild).Assembly.Location);   // run as `dotnet Bench.dll`, not by its apphost
        }
        start.ArgumentList.Add(scenario);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
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
