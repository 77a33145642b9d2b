using System.Diagnostics;

namespace ControlPlane.Testing;

/// <summary>Stops and starts the test Redis server (started by scripts/dev-services) to test cache outages.</summary>
public static class CacheServer
{
    public static Task StopAsync() => RunAsync("redis-cli", "-p", Port, "shutdown", "nosave");

    /// <summary>Starts it as scripts/dev-services does (same port, folder and pid file, so `stop` still finds it).</summary>
    public static async Task StartAsync()
    {
        var folder = Path.Combine(Environment.GetEnvironmentVariable("CP_DEV_DIR")
            ?? throw new InvalidOperationException("CP_DEV_DIR is not set: run the tests with scripts/test"), "redis");
        await RunAsync("redis-server", "--port", Port, "--bind", "127.0.0.1", "--daemonize", "yes", "--dir", folder,
            "--pidfile", Path.Combine(folder, "redis.pid"), "--logfile", Path.Combine(folder, "redis.log"), "--save", "", "--appendonly", "no");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await PingAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("redis-server did not answer PING within 30 s");
            }
            await Task.Delay(100);
        }
    }

    private static string Port => Environment.GetEnvironmentVariable("CP_TEST_REDIS_PORT")
        ?? throw new InvalidOperationException("CP_TEST_REDIS_PORT is not set: run the tests with scripts/test");

    private static async Task<bool> PingAsync()
    {
        try
        {
            await RunAsync("redis-cli", "-p", Port, "ping");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        // redis-cli exits 0 even when it cannot connect; its answer says so.
        if (process.ExitCode != 0 || output.Contains("Could not connect", StringComparison.Ordinal) || output.StartsWith("ERR", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {output}");
        }
    }
}
