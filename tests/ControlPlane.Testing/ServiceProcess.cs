using System.Collections.Concurrent;
using System.Diagnostics;

namespace ControlPlane.Testing;

/// <summary>
/// A service run as a real process (`dotnet X.dll`), its output collected. Disposing kills it, by the process
/// id this object started, with its children — also when the test failed.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, string httpUrl, string grpcUrl)
    {
        _process = process;
        HttpUrl = httpUrl;
        GrpcUrl = grpcUrl;
        Http = TestCredentials.Http(httpUrl);
    }

    public string HttpUrl { get; }
    public string GrpcUrl { get; }
    public HttpClient Http { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output => string.Join('\n', _output);

    /// <param name="assembly">The service's host assembly name, e.g. "ControlPlane.Registry.Host".</param>
    /// <param name="arguments">Its command-line arguments, e.g. "--demo".</param>
    public static ServiceProcess Start(string assembly, IDictionary<string, string> environment, params string[] arguments)
    {
        var dll = RepoPaths.HostAssembly(assembly);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Configured with the test admin key, as an operator configures a service; a test's own settings win.
        var withCredentials = TestCredentials.Environment;
        foreach (var (key, value) in environment)
        {
            withCredentials[key] = value;
        }
        return Run(start, withCredentials);
    }

    /// <summary>A command line run by bash as a user types it (e.g. README's `dotnet run ...`), in <paramref name="workingDirectory"/>.</summary>
    public static ServiceProcess StartShell(string commandLine, string workingDirectory, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        return Run(start, environment);
    }

    private static ServiceProcess Run(ProcessStartInfo start, IDictionary<string, string> environment)
    {
        var httpUrl = $"http://127.0.0.1:{FreePorts.Next()}";
        var grpcUrl = $"http://127.0.0.1:{FreePorts.Next()}";
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ControlPlane__HttpUrl"] = httpUrl;
        start.Environment["ControlPlane__GrpcUrl"] = grpcUrl;
        start.Environment["DOTNET_ENVIRONMENT"] = "Test";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, httpUrl, grpcUrl);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { service._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { service._output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public Task WaitUntilReadyAsync(TimeSpan timeout) => Readiness.WaitAsync(Http, timeout);

    /// <summary>Sends a signal by name ("STOP" pauses the process as a long GC pause or a partition would, "CONT" resumes it).</summary>
    public async Task SignalAsync(string signal)
    {
        if (_process.HasExited)
        {
            // Its id may already belong to another process.
            return;
        }
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}")!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL, as a crash: no graceful shutdown, nothing released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
