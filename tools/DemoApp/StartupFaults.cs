using Microsoft.Extensions.Options;

namespace ControlPlane.DemoApp;

/// <summary>
/// Switches on the faults --faults-by-version gives the running version before the server takes requests, and
/// for exit:N ends the process a second after start, as a version that crashes on start-up would.
/// </summary>
internal sealed class StartupFaults(IOptions<DemoOptions> options, FaultState faults, ProcessExit exit, ILogger<StartupFaults> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan CrashAfter = TimeSpan.FromSeconds(1);

    private FaultSettings? Settings => VersionFaults.For(options.Value.FaultsByVersion, options.Value.Version);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (Settings is { } settings)
        {
            faults.Apply(settings with { ExitCode = null }, $"--faults-by-version for version {options.Value.Version}");
        }
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        Log.Started(logger, demo.InstanceId, demo.Version, demo.Port, demo.GrpcPort?.ToString() ?? "none");
        if (Settings?.ExitCode is { } code)
        {
            exit.After(CrashAfter, code, $"--faults-by-version for version {demo.Version}");
        }
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
