using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ControlPlane.Testing;

/// <summary>
/// A memcached server of the test's own (Debian's /usr/bin/memcached, installed by scripts/dev-services), on a free
/// loopback port, so a test can stop, freeze or restart it without touching the shared one. Disposing kills the
/// process this object started, by its id — also when the test failed.
/// </summary>
public sealed class MemcachedProcess : IAsyncDisposable
{
    private const string Binary = "/usr/bin/memcached";
    private Process? _process;

    private MemcachedProcess(int port) => Port = port;

    public int Port { get; }

    /// <summary>The connection string: <c>127.0.0.1:PORT</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<MemcachedProcess> StartAsync()
    {
        var server = new MemcachedProcess(FreePorts.Next());
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts it (again) on the same port and waits until it answers; a restarted memcached is empty.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("memcached is already running");
        }
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: scripts/dev-services start installs it");
        }
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        // memcached refuses to run as root unless told which user to become.
        string[] user = Environment.UserName == "root" ? ["-u", "memcache"] : [];
        foreach (var arg in (string[])[.. user, "-l", "127.0.0.1", "-p", $"{Port}", "-U", "0", "-m", "16"])
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("memcached did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await AnswersAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"memcached on port {Port} did not answer (exited: {_process.HasExited})");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Kills it (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the port still accepts connections but nothing answers, as with a hung server or a partition.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    public Task ThawAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var pid = _process is { HasExited: false } p ? p.Id : throw new InvalidOperationException("memcached is not running");
        using var kill = Process.Start("kill", [signal, $"{pid}"]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} failed");
        }
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("version\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("VERSION", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // A frozen process only dies of SIGKILL; Kill sends it.
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
