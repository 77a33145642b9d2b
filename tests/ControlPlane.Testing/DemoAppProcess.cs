using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Xunit;

namespace ControlPlane.Testing;

/// <summary>
/// DemoApp run as a real process (`dotnet ControlPlane.DemoApp.dll ...`). Disposing kills the process this
/// object started — also when the test failed.
/// </summary>
public sealed class DemoAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private DemoAppProcess(Process process, int port, int? grpcPort)
    {
        _process = process;
        Port = port;
        GrpcPort = grpcPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }
    public int? GrpcPort { get; }
    public HttpClient Http { get; }
    public string Output => string.Join('\n', _output);

    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Kills the process now (as a crash would), by the id this object started.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>The built DemoApp, in the configuration the tests were built in (the project reference builds it first).</summary>
    public static string Dll { get; } = Path.Combine(
        RepoPaths.Root, "tools", "DemoApp", "bin", RepoPaths.Configuration, "net10.0", "ControlPlane.DemoApp.dll");

    /// <summary>Starts version <paramref name="version"/> on free ports (HTTP and gRPC) and waits until /livez answers.</summary>
    public static Task<DemoAppProcess> StartAsync(string version = "1.0", params string[] args) =>
        StartOnAsync(FreePorts.Next(), FreePorts.Next(), version, args);

    /// <summary>Starts version <paramref name="version"/> on the given ports (e.g. again where a killed one listened).</summary>
    public static async Task<DemoAppProcess> StartOnAsync(int port, int grpcPort, string version = "1.0", params string[] args)
    {
        var app = Start(["--version", version, "--instance-id", $"demo-{port}", "--port", $"{port}", "--grpc-port", $"{grpcPort}", .. args], new Dictionary<string, string>(), port, grpcPort);
        await app.WaitUntilLiveAsync();
        return app;
    }

    /// <summary>Starts DemoApp as told, without waiting; <paramref name="port"/> is where it was told to listen.</summary>
    public static DemoAppProcess Start(IEnumerable<string> args, IDictionary<string, string> environment, int port, int? grpcPort = null)
    {
        if (!File.Exists(Dll))
        {
            throw new FileNotFoundException($"DemoApp is not built: {Dll}");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start };
        var app = new DemoAppProcess(process, port, grpcPort);
        process.OutputDataReceived += (_, e) => app.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => app.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Polls /livez until 200; fails at once, with the output, if the process exits first.</summary>
    public async Task WaitUntilLiveAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"DemoApp exited with code {_process.ExitCode} before answering /livez:\n{Output}");
            }
            try
            {
                using var response = await Http.GetAsync("/livez");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"DemoApp not live on port {Port} within {StartTimeout}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"DemoApp still running after {timeout}:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>POSTs a fault change to /faults, expecting it accepted.</summary>
    public async Task SetFaultsAsync(object change)
    {
        using var response = await Http.PostAsJsonAsync("/faults", change);
        Assert.True(response.IsSuccessStatusCode, $"POST /faults: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
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

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
