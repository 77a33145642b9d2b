namespace ControlPlane.DemoApp;

/// <summary>
/// Ends the process with a chosen exit code, as a crashing version would. The host is stopped rather than the
/// process killed, so the answer to the request that asked for it is sent first; Program returns <see cref="Code"/>.
/// </summary>
internal sealed class ProcessExit(IHostApplicationLifetime lifetime, ILogger<ProcessExit> logger)
{
    private int _code;

    public int Code => Volatile.Read(ref _code);

    public void After(TimeSpan delay, int code, string source)
    {
        Log.Exiting(logger, code, (int)delay.TotalMilliseconds, source);
        Volatile.Write(ref _code, code);
        _ = Task.Run(async () =>
        {
            await Task.Delay(delay);
            lifetime.StopApplication();
        });
    }
}
