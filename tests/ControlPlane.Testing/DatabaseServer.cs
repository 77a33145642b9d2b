using System.Diagnostics;

namespace ControlPlane.Testing;

/// <summary>Stops and starts the test PostgreSQL server (started by scripts/dev-services) to test outages.</summary>
public static class DatabaseServer
{
    public static Task StopAsync() => PgCtlAsync("stop", "-m", "fast");

    public static Task StartAsync() => PgCtlAsync("start", "-l", Path.Combine(Path.GetDirectoryName(DataDirectory)!, "postgres.log"));

    private static string DataDirectory => Environment.GetEnvironmentVariable("CP_TEST_PGDATA")
        ?? throw new InvalidOperationException("CP_TEST_PGDATA is not set: run the tests with scripts/test");

    private static async Task PgCtlAsync(params string[] args)
    {
        var bin = Environment.GetEnvironmentVariable("CP_TEST_PGBIN") ?? "/usr/lib/postgresql/15/bin";
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), args[0], "-D", DataDirectory, "-w", "-t", "60" }.Concat(args[1..]))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {args[0]} failed: {await errors}{await output}");
        }
    }
}
